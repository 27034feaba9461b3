package voicecall.engine.dialogue;

import java.time.Duration;

/**
 * The knobs of the call flow.
 *
 * @param silenceTimeout how long the engine waits for the caller after a reply before it asks
 *     whether they are still there
 * @param maxSilences silences in a row that end the call with a goodbye (the ones before get the
 *     still-there prompt); at least 1
 * @param maxCallLength after this the engine says goodbye and hangs up
 * @param maxMisses unmatched questions in a row that lead to a transfer; at least 1
 * @param bargeInHoldOff no barge-in in the first part of a reply (the line's echo of its start and
 *     the caller's last syllables)
 * @param bargeInMarginDb while a reply plays, the caller's audio must be at most this many dB below
 *     the reply's level to interrupt it (echo of our own voice is far quieter); at least 0
 * @param menuSize how many entries the keypad menu offers, 1 to 9
 * @param clarifyRunnerUpWithin a runner-up within this confidence of the best entry is offered as
 *     the second choice of a clarifying question; 0 to 1
 */
public record DialogueSettings(
    Duration silenceTimeout,
    int maxSilences,
    Duration maxCallLength,
    int maxMisses,
    Duration bargeInHoldOff,
    double bargeInMarginDb,
    int menuSize,
    double clarifyRunnerUpWithin) {

  /** Validates the settings, naming the wrong one. */
  public DialogueSettings {
    positive("silenceTimeout", silenceTimeout);
    positive("maxCallLength", maxCallLength);
    if (bargeInHoldOff.isNegative()) {
      throw new IllegalArgumentException("bargeInHoldOff must not be negative");
    }
    if (maxSilences < 1 || maxMisses < 1) {
      throw new IllegalArgumentException("maxSilences and maxMisses must be at least 1");
    }
    if (!(bargeInMarginDb >= 0 && bargeInMarginDb <= 60)) {
      throw new IllegalArgumentException("bargeInMarginDb must be 0..60, was " + bargeInMarginDb);
    }
    if (menuSize < 1 || menuSize > 9) {
      throw new IllegalArgumentException("menuSize must be 1..9, was " + menuSize);
    }
    if (!(clarifyRunnerUpWithin >= 0 && clarifyRunnerUpWithin <= 1)) {
      throw new IllegalArgumentException("clarifyRunnerUpWithin must be 0..1");
    }
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  /**
   * The defaults: 8 s silence timeout, goodbye after the second silence, 10 min calls, transfer
   * after 2 misses, 300 ms barge-in hold-off, 10 dB barge-in margin, 9 menu items, runner-up within
   * 0.1.
   *
   * @return the defaults
   */
  public static DialogueSettings defaults() {
    return new DialogueSettings(
        Duration.ofSeconds(8), 2, Duration.ofMinutes(10), 2, Duration.ofMillis(300), 10, 9, 0.1);
  }
}
