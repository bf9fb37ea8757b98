/** `npm run build`'s second half: the single-file bundles the images and the process runtime run. */
import { prepareCollectorBundle, prepareWorkloadBundle } from '../src/runtime/images.js';

const collector = await prepareCollectorBundle();
const workload = await prepareWorkloadBundle();
console.log(`bundles: ${collector}/collector.mjs, ${workload}`);
