import Docker from 'dockerode';
import { startSampler, pickSource } from '../../src/sampling/sampler.js';
const docker = new Docker();
const c = await docker.createContainer({ Image: 'collector-bench/node-base:local', Cmd: ['node','-e','const b=Buffer.alloc(200<<20,1);function burn(){const e=Date.now()+50;while(Date.now()<e){}setTimeout(burn,50)}burn()'], Labels: {'collector-bench':'1','collector-bench.test':'1'}, HostConfig:{NetworkMode:'none'} });
await c.start();
try {
  const picked = await pickSource({ runtime: 'docker', docker, containerId: c.id });
  console.log(picked.reason);
  await new Promise(r=>setTimeout(r,1500));
  const t0 = Date.now();
  const s = startSampler({ source: picked.source, intervalMs: 100, t0 });
  const d = startSampler({ source: { kind: 'docker', container: c }, intervalMs: 1000, t0 });
  await new Promise(r=>setTimeout(r,4000));
  const a = await s.stop(); const b = await d.stop();
  const mean = (x:any[])=>x.reduce((p,q)=>p+q.cpuPercent,0)/x.length;
  console.log(a.length, mean(a), a.at(-1), s.stats(), s.errors());
  console.log(b.length, mean(b), b.at(-1), d.errors());
} finally { await c.remove({force:true}); }
