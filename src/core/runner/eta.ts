// Estimated time to finish, after `done` runs of `planned`. A cooldown is slept before every run but the
// first, so `elapsedMs` already holds (done − 1) cooldowns: they are taken out before averaging the run
// time, then each remaining run adds its run time and its cooldown once.

/** (elapsed − (done − 1) · cooldown) / done · left + left · cooldown; 0 when done, null before the first run. */
export function etaMs(elapsedMs: number, done: number, planned: number, cooldownMs: number): number | null {
  if (done <= 0) return null;
  const left = planned - done;
  if (left <= 0) return 0;
  const meanRunMs = Math.max(0, elapsedMs - (done - 1) * cooldownMs) / done;
  return left * (meanRunMs + cooldownMs);
}
