import { runValidateSamplerCommand } from '../../src/sampling/validate.js';
process.exitCode = await runValidateSamplerCommand({ seconds: 6, intervalsMs: [1000, 100, 1000, 100], includeDockerStats: false, labels: { 'collector-bench.test': '1' } });
