package voicecall.engine.dialogue;

import java.util.Objects;

/**
 * What the engine says besides the answers themselves.
 *
 * @param greeting said when the call starts
 * @param anythingElse said after an answer
 * @param clarify said before the top candidate's answer when the knowledge base is unsure
 * @param rephrase said when nothing matched
 * @param transfer said before the call is handed to a person
 * @param maxMisses how many unmatched questions in a row lead to a transfer (at least 1)
 */
public record Prompts(
    String greeting,
    String anythingElse,
    String clarify,
    String rephrase,
    String transfer,
    int maxMisses) {

  /** Rejects blank prompts and a miss limit below 1. */
  public Prompts {
    for (String p : new String[] {greeting, anythingElse, clarify, rephrase, transfer}) {
      if (Objects.requireNonNull(p, "prompt").isBlank()) {
        throw new IllegalArgumentException("prompts must not be blank");
      }
    }
    if (maxMisses < 1) {
      throw new IllegalArgumentException("maxMisses must be at least 1, was " + maxMisses);
    }
  }
}
