/**
 * Headless agent CLIs are known to hang now and then, silently. Silence while the agent should be
 * working (no output, and no question or approval waiting for a person) is reported once past
 * `warnAfterS` and ends the mission past `failAfterS`: never a silent hang.
 */
export function startWatchdog(options: {
  warnAfterS: number;
  failAfterS: number;
  /** True while the silence is a person's, not the agent's (a pending approval or question). */
  isWaitingForPerson: () => boolean;
  onWarn: (silentForS: number) => void;
  onFail: (silentForS: number) => void;
}): { activity(): void; stop(): void } {
  let lastActivity = Date.now();
  let warned = false;
  const tick = Math.min(1000, options.warnAfterS * 250);
  const timer = setInterval(() => {
    if (options.isWaitingForPerson()) {
      lastActivity = Date.now();
      return;
    }
    const silentForS = (Date.now() - lastActivity) / 1000;
    if (silentForS >= options.failAfterS) {
      clearInterval(timer);
      options.onFail(Math.round(silentForS));
    } else if (silentForS >= options.warnAfterS && !warned) {
      warned = true;
      options.onWarn(Math.round(silentForS));
    }
  }, tick);
  timer.unref();
  return {
    activity() {
      lastActivity = Date.now();
      warned = false;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
