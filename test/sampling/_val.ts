import { runValidateSamplerCommand } from '../../src/sampling/validate.js';
process.exitCode = await runValidateSamplerCommand({ seconds: 10, labels: { 'collector-bench.test': '1' } });
