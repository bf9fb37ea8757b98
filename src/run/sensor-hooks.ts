/**
 * Transitional: the commands not yet switched to setupDelivery (run-ab, ramp, validate, validate
 * regression) still import `setupSensor`. It is setupDelivery with the config's delivery: the same
 * sensor check as before while `sensor.enabled`, and no longer a way around `--delivery`. Delete
 * this file once those commands call setupDelivery (the session engine).
 */
export { setupDelivery as setupSensor } from './delivery/setup-delivery.js';
