/** Score normalisation shared by plugins (upstream `plugins/helper/normalize_score.go`). */
import { maxNodeScore } from '../../defaults.js';

/**
 * `DefaultNormalizeScore`: scales scores so the highest becomes `maxScore` (integer division);
 * with `reverse`, the result is `maxScore - scaled`. All-zero scores stay 0 (or become
 * `maxScore` with `reverse`).
 */
export function defaultNormalizeScore(scores: number[], reverse: boolean, maxScore = maxNodeScore) {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxScore);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxScore * scores[i]!) / max);
    if (reverse) s = maxScore - s;
    scores[i] = s;
  }
}
