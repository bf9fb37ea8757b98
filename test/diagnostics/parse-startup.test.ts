import { describe, expect, it } from 'vitest';
import { parseStartupLog } from '../../src/diagnostics/parse-startup.js';

// The StackRox collector's own startup output, verbatim as its troubleshooting guide prints it (old format).
const OLD_UNREACHABLE = `Collector Version: 3.12.0
OS: Ubuntu 20.04.4 LTS
Kernel Version: 5.4.0-126-generic
Starting StackRox Collector...
[INFO 2022/10/13 12:20:43] Hostname: 'hostname'
[INFO 2022/10/13 12:20:43] Sensor configured at address: sensor.stackrox.svc:9998
[INFO 2022/10/13 12:20:43] Attempting to connect to Sensor
[INFO 2022/10/13 12:21:13]
[INFO 2022/10/13 12:21:13] == Collector Startup Diagnostics: ==
[INFO 2022/10/13 12:21:13] Connected to Sensor? false
[INFO 2022/10/13 12:21:13] Kernel driver available? false
[INFO 2022/10/13 12:21:13] Driver loaded into kernel? false
[INFO 2022/10/13 12:21:13] ====================================
[INFO 2022/10/13 12:21:13]
[FATAL 2022/10/13 12:21:13] Unable to connect to Sensor.`;

const OLD_404 = `Collector Version: 3.12.0
OS: Alpine Linux v3.14
Kernel Version: 5.10.109-0-virt
Starting StackRox Collector...
[INFO 2022/10/13 13:32:57] Hostname: 'alpine'
[INFO 2022/10/13 13:32:57] Sensor configured at address: sensor.stackrox.svc:9999
[INFO 2022/10/13 13:32:57] Attempting to connect to Sensor
[INFO 2022/10/13 13:32:57] Successfully connected to Sensor.
[INFO 2022/10/13 13:32:57] Module version: 2.2.0
[INFO 2022/10/13 13:32:57] Attempting to download kernel object from https://sensor.stackrox.svc/kernel-objects/2.2.0/collector-5.10.109-0-virt.ko.gz
[WARNING 2022/10/13 13:32:58] [Throttled] Unexpected HTTP request failure (HTTP 404)
[WARNING 2022/10/13 13:33:08] [Throttled] Unexpected HTTP request failure (HTTP 404)
[WARNING 2022/10/13 13:33:18] [Throttled] Unexpected HTTP request failure (HTTP 404)
[WARNING 2022/10/13 13:33:29] [Throttled] Unexpected HTTP request failure (HTTP 404)
[WARNING 2022/10/13 13:33:35] Attempted to download collector-5.10.109-0-virt.ko.gz 30 time(s)
[WARNING 2022/10/13 13:33:35] Failed to download from collector-5.10.109-0-virt.ko.gz
[ERROR 2022/10/13 13:33:35] Error getting kernel object: collector-5.10.109-0-virt.ko
[INFO 2022/10/13 13:33:35]
[INFO 2022/10/13 13:33:35] == Collector Startup Diagnostics: ==
[INFO 2022/10/13 13:33:35] Connected to Sensor? true
[INFO 2022/10/13 13:33:35] Kernel driver available? false
[INFO 2022/10/13 13:33:35] Driver loaded into kernel? false
[INFO 2022/10/13 13:33:35] ====================================
[INFO 2022/10/13 13:33:35]
[FATAL 2022/10/13 13:33:35] No suitable kernel object downloaded for kernel 5.10.109-0-virt`;

const OLD_LOAD_FAILS = `[INFO 2022/10/13 14:25:13] Successfully downloaded and decompressed /module/collector.ko
[ERROR 2022/10/13 14:25:13] Error inserting kernel module: /module/collector.ko: Operation not permitted. Aborting...
[INFO 2022/10/13 14:25:13] == Collector Startup Diagnostics: ==
[INFO 2022/10/13 14:25:13] Connected to Sensor? true
[INFO 2022/10/13 14:25:13] Kernel driver available? true
[INFO 2022/10/13 14:25:13] Driver loaded into kernel? false
[INFO 2022/10/13 14:25:13] ====================================
[INFO 2022/10/13 14:25:13]
[FATAL 2022/10/13 14:25:13] Failed to initialize collector kernel components.`;

// The new format as anchors.md describes it.
const NEW_SUCCESS = `Collector Version: 3.20.0
OS: Red Hat Enterprise Linux 9.4 (Plow)
Kernel Version: 5.14.0-427.el9.x86_64
Starting StackRox Collector...
[INFO 2024/05/02 10:00:00] Sensor configured at address: sensor.stackrox.svc:9998
[INFO 2024/05/02 10:00:01] == Collector Startup Diagnostics: ==
[INFO 2024/05/02 10:00:01] Connected to Sensor? true
[INFO 2024/05/02 10:00:01] Kernel driver candidates:
[INFO 2024/05/02 10:00:01]   core_bpf (available)
[INFO 2024/05/02 10:00:01] Driver loaded into kernel: core_bpf
[INFO 2024/05/02 10:00:01] ====================================`;

const NEW_FAILED = `[INFO 2024/05/02 10:00:01] == Collector Startup Diagnostics: ==
[INFO 2024/05/02 10:00:01] Connected to Sensor? true
[INFO 2024/05/02 10:00:01] Kernel driver candidates:
[INFO 2024/05/02 10:00:01]   ebpf (unavailable)
[INFO 2024/05/02 10:00:01]   core_bpf (available)
[INFO 2024/05/02 10:00:01] ====================================
[INFO 2024/05/02 10:00:01]
[FATAL 2024/05/02 10:00:01] Failed to initialize collector kernel components.`;

describe('parseStartupLog', () => {
  describe('old format (the seed examples)', () => {
    it('reads the banner, the sensor address and an unreachable Sensor', () => {
      const r = parseStartupLog(OLD_UNREACHABLE);
      expect(r.banner).toEqual({ version: '3.12.0', os: 'Ubuntu 20.04.4 LTS', kernel: '5.4.0-126-generic' });
      expect(r.sensorAddress).toBe('sensor.stackrox.svc:9998');
      expect(r.format).toBe('old');
      expect(r).toMatchObject({ connected: false, driverAvailable: false, driverLoaded: false, candidates: null });
      expect(r.fatal).toBe('Unable to connect to Sensor.');
      expect(r.downloadAttempts).toBeNull();
    });

    it('counts the 404 warnings and the attempts line of a failed download', () => {
      const r = parseStartupLog(OLD_404);
      expect(r.http404Warnings).toBe(4);
      expect(r.httpFailureWarnings).toBe(4);
      expect(r.downloadAttempts).toBe(30);
      expect(r).toMatchObject({ connected: true, driverAvailable: false, driverLoaded: false, format: 'old' });
      expect(r.fatal).toBe('No suitable kernel object downloaded for kernel 5.10.109-0-virt');
      expect(r.banner?.os).toBe('Alpine Linux v3.14');
    });

    it('tells an available driver that did not load', () => {
      const r = parseStartupLog(OLD_LOAD_FAILS);
      expect(r).toMatchObject({ connected: true, driverAvailable: true, driverLoaded: false, format: 'old' });
      expect(r.fatal).toBe('Failed to initialize collector kernel components.');
      expect(r.banner).toBeNull();
    });
  });

  describe('new format', () => {
    it('lists the candidates and names the loaded driver', () => {
      const r = parseStartupLog(NEW_SUCCESS);
      expect(r.format).toBe('new');
      expect(r.candidates).toEqual([{ name: 'core_bpf', available: true }]);
      expect(r.driverAvailable).toBe(true);
      expect(r.driverLoaded).toBe('core_bpf');
      expect(r.connected).toBe(true);
      expect(r.fatal).toBeNull();
      expect(r.banner?.kernel).toBe('5.14.0-427.el9.x86_64');
    });

    it('reads a block without a loaded line as no driver loaded', () => {
      const r = parseStartupLog(NEW_FAILED);
      expect(r.candidates).toEqual([
        { name: 'ebpf', available: false },
        { name: 'core_bpf', available: true },
      ]);
      expect(r.driverLoaded).toBe(false);
      expect(r.driverAvailable).toBe(true);
      expect(r.fatal).toBe('Failed to initialize collector kernel components.');
    });

    it('keeps the last block when a log holds two starts', () => {
      const r = parseStartupLog(`${OLD_UNREACHABLE}\n${NEW_SUCCESS}`);
      expect(r.format).toBe('new');
      expect(r.driverLoaded).toBe('core_bpf');
    });

    it('does not invent a "not loaded" from a block cut off mid-way', () => {
      const cut = NEW_SUCCESS.split('\n').slice(0, 9).join('\n'); // ends after the candidate line
      const r = parseStartupLog(cut);
      expect(r.candidates).toEqual([{ name: 'core_bpf', available: true }]);
      expect(r.driverLoaded).toBeNull();
    });
  });

  describe('garbage', () => {
    const empty = {
      banner: null,
      sensorAddress: null,
      connected: null,
      driverAvailable: null,
      candidates: null,
      driverLoaded: null,
      format: null,
      fatal: null,
      downloadAttempts: null,
      http404Warnings: 0,
      httpFailureWarnings: 0,
      readyLine: false,
    };
    it.each([
      ['an empty string', ''],
      ['binary noise', '\u0000\u0001\u00ff\ufffd[[[]]] == == Connected to'],
      ['a stack trace', 'Error: boom\n    at main (file.js:1:1)\nSegmentation fault (core dumped)'],
      ['a non-string', 42 as unknown as string],
      ['undefined', undefined as unknown as string],
    ])('returns nulls for %s without throwing', (_what, input) => {
      expect(parseStartupLog(input)).toEqual(empty);
    });

    it('leaves unreadable values null instead of guessing', () => {
      const r = parseStartupLog(
        '[INFO 2024/01/01 00:00:00] == Collector Startup Diagnostics: ==\n[INFO 2024/01/01 00:00:00] Connected to Sensor? maybe\n[INFO 2024/01/01 00:00:00] ====================================',
      );
      expect(r.connected).toBeNull();
      expect(r.format).toBeNull();
    });
  });
});
