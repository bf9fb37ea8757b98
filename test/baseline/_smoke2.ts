import { startFakeGcs } from '../fakes/gcs/server.js';
import { Storage } from '@google-cloud/storage';
const fake = await startFakeGcs({ buckets: ['bkt'] });
const s = new Storage({ apiEndpoint: fake.url, retryOptions: { maxRetryDelay: 1 } });
const b = s.bucket('bkt');
fake.putRaw('bkt', 'x.json', '{"a":1}');
fake.failNext(1, 503);
try { console.log('after 503', (await b.file('x.json').download())[0].toString()); } catch (e: any) { console.log('ERR', e.code, e.message); }
console.log(fake.requests.map(r => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${r.status}`).join('\n'));
fake.failNext(1, 503);
try { console.log('meta after 503', (await b.file('x.json').getMetadata())[0].name); } catch (e: any) { console.log('ERR', e.code, e.message); }
await fake.close();
