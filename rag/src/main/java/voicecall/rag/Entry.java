package voicecall.rag;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One question-and-answer entry of the knowledge base.
 *
 * @param id admin-chosen stable id: 1 to 128 letters, digits, {@code . _ : -}
 * @param questions the phrasings of the question, at least one, none blank or containing a line
 *     break or {@code |}
 * @param answer what the engine says on the phone; not blank
 * @param tags optional tags, none blank or containing a comma
 * @param language the language of question and answer
 */
public record Entry(
    String id, List<String> questions, String answer, List<String> tags, Language language) {

  /** Ids go into URLs and a VARCHAR(128) column, so they are kept plain. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** Validates every field; {@link KnowledgeRules} reports the same problems with row numbers. */
  public Entry {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("entry id must match " + ID + ": '" + id + "'");
    }
    questions = List.copyOf(questions);
    tags = List.copyOf(tags);
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("entry " + id + " has no question");
    }
    for (String q : questions) {
      if (q.isBlank() || q.indexOf('\n') >= 0 || q.indexOf('\r') >= 0 || q.indexOf('|') >= 0) {
        throw new IllegalArgumentException("entry " + id + " has an invalid question: '" + q + "'");
      }
    }
    if (answer.isBlank()) {
      throw new IllegalArgumentException("entry " + id + " has a blank answer");
    }
    for (String t : tags) {
      if (t.isBlank() || t.indexOf(',') >= 0) {
        throw new IllegalArgumentException("entry " + id + " has an invalid tag: '" + t + "'");
      }
    }
  }

  /**
   * Creates an entry whose language is detected from its questions and answer.
   *
   * @param id the id
   * @param questions the phrasings
   * @param answer the answer
   * @param tags the tags
   * @return the entry in the detected language
   */
  public static Entry detected(
      String id, List<String> questions, String answer, List<String> tags) {
    return new Entry(
        id, questions, answer, tags, Language.detect(String.join(" ", questions) + " " + answer));
  }
}
