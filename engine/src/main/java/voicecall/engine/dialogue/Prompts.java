package voicecall.engine.dialogue;

import java.util.List;
import java.util.Objects;

/**
 * What the engine says besides the answers themselves, in one language. Templates mark their blanks
 * with {@code {1}}, {@code {2}} (the candidates' labels) or {@code {digit}} and {@code {label}} (a
 * menu item).
 *
 * @param greeting said when the call starts
 * @param anythingElse said after an answer
 * @param clarification said when the knowledge base is unsure but its candidate can no longer be
 *     named (asks the caller to say more)
 * @param rephrase said when nothing matched, or the caller said no to a clarifying question
 * @param transfer said before the call is handed to a person
 * @param stillThere said after a silence
 * @param goodbye said before the engine hangs up
 * @param clarifyTwo the question about two candidates, with {@code {1}} and {@code {2}}
 * @param clarifyOne the question about one candidate, with {@code {1}}
 * @param clarifyChoose said after {@link #clarifyTwo}: how to choose
 * @param clarifyYesNo said after {@link #clarifyOne}: how to answer
 * @param menuIntro said before the keypad menu's items
 * @param menuItem one keypad menu item, with {@code {digit}} and {@code {label}}
 * @param menuOutro said after the keypad menu's items (agent and repeat keys)
 * @param words what the caller may say in this language
 */
public record Prompts(
    String greeting,
    String anythingElse,
    String clarification,
    String rephrase,
    String transfer,
    String stillThere,
    String goodbye,
    String clarifyTwo,
    String clarifyOne,
    String clarifyChoose,
    String clarifyYesNo,
    String menuIntro,
    String menuItem,
    String menuOutro,
    CallerWords words) {

  /** Rejects blank prompts and templates without their blanks. */
  public Prompts {
    for (String p :
        List.of(
            greeting,
            anythingElse,
            clarification,
            rephrase,
            transfer,
            stillThere,
            goodbye,
            clarifyTwo,
            clarifyOne,
            clarifyChoose,
            clarifyYesNo,
            menuIntro,
            menuItem,
            menuOutro)) {
      if (p.isBlank()) {
        throw new IllegalArgumentException("prompts must not be blank");
      }
    }
    requireBlanks("clarifyTwo", clarifyTwo, "{1}", "{2}");
    requireBlanks("clarifyOne", clarifyOne, "{1}");
    requireBlanks("menuItem", menuItem, "{digit}", "{label}");
    Objects.requireNonNull(words, "words");
  }

  private static void requireBlanks(String name, String template, String... blanks) {
    for (String b : blanks) {
      if (!template.contains(b)) {
        throw new IllegalArgumentException(name + " must contain " + b + ": '" + template + "'");
      }
    }
  }

  /**
   * English prompts as the application ships them, for tests and examples.
   *
   * @return the prompts
   */
  public static Prompts english() {
    return new Prompts(
        "Hello, thank you for calling customer service. How can I help you today?",
        "Is there anything else I can help you with?",
        "Sorry, could you tell me a little more about what you need?",
        "I didn't quite catch that. Could you say it another way?",
        "I'll connect you to an agent now. Please hold for a moment.",
        "Are you still there? Please ask your question, or press 0 for an agent.",
        "Thank you for calling. Have a nice day.",
        "Did you mean {1}, or {2}?",
        "Did you mean {1}?",
        "Say one or two, or press 1 or 2.",
        "Please say yes or no, or press 1 for yes and 2 for no.",
        "Please choose from the menu.",
        "Press {digit} for {label}.",
        "Press 0 for an agent, or star to hear this again.",
        CallerWords.english());
  }
}
