package voicecall.app.speech;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where pre-rendering of one knowledge version stands.
 *
 * @param version the knowledge version
 * @param state what happened to the run
 * @param answers answers in the plan
 * @param prompts prompts in the plan (both languages)
 * @param sentences distinct sentences found (0 while running)
 * @param rendered sentences synthesised into the cache now
 * @param alreadyCached sentences that were cached before
 * @param failed sentences that could not be synthesised
 * @param evicted sentences the audio cache dropped during the run to stay under its cap (any at all
 *     means the cap is too small to hold the version: some answers will be synthesised in calls)
 * @param failures one line per sentence that could not be synthesised (at most {@value
 *     #MAX_FAILURES_SHOWN} shown), immutable
 * @param elapsed time since the run started (after the synthesiser warm-up)
 */
public record PrerenderStatus(
    long version,
    State state,
    int answers,
    int prompts,
    int sentences,
    int rendered,
    int alreadyCached,
    int failed,
    long evicted,
    List<String> failures,
    Duration elapsed) {

  /** Failure lines kept in a status. */
  public static final int MAX_FAILURES_SHOWN = 20;

  /** What happened to a pre-render run. */
  public enum State {
    /** Sentences are being synthesised. */
    RUNNING,
    /** Every sentence was tried; failures, if any, are listed. */
    DONE,
    /** A newer knowledge version was activated before this run ended; it was cancelled. */
    SUPERSEDED,
    /** The run stopped with an error (logged). */
    FAILED,
    /** The application stopped during the run. */
    CANCELLED
  }

  /** Validates and copies. */
  public PrerenderStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(elapsed, "elapsed");
    failures = List.copyOf(failures.subList(0, Math.min(failures.size(), MAX_FAILURES_SHOWN)));
    if (answers < 0
        || prompts < 0
        || sentences < 0
        || rendered < 0
        || alreadyCached < 0
        || failed < 0
        || evicted < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /**
   * Whether the run has ended, one way or another.
   *
   * @return false while running
   */
  public boolean finished() {
    return state != State.RUNNING;
  }
}
