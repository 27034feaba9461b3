package voicecall.engine.dialogue;

import java.util.List;
import java.util.Locale;

/**
 * The short replies a caller may give in one language: yes, no, the first or second choice, and
 * phrases that mean they are done. A phrase matches when its words appear in the transcript as
 * whole words, in order.
 *
 * @param yes words for yes
 * @param no words for no
 * @param first words for the first choice (e.g. "one", "first")
 * @param second words for the second choice
 * @param done phrases a caller uses to end the call after "anything else?" (e.g. "no thanks")
 */
public record CallerWords(
    List<String> yes, List<String> no, List<String> first, List<String> second, List<String> done) {

  /** Copies the lists, normalised; each must have at least one phrase. */
  public CallerWords {
    yes = normaliseAll("yes", yes);
    no = normaliseAll("no", no);
    first = normaliseAll("first", first);
    second = normaliseAll("second", second);
    done = normaliseAll("done", done);
  }

  private static List<String> normaliseAll(String name, List<String> phrases) {
    List<String> out = phrases.stream().map(CallerWords::normalise).toList();
    if (out.isEmpty() || out.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(name + " needs at least one non-blank phrase");
    }
    return out;
  }

  /**
   * The English words.
   *
   * @return yes/no/one/two and "no thanks", "that's all", "bye"…
   */
  public static CallerWords english() {
    return new CallerWords(
        List.of("yes", "yeah", "yep", "correct", "right", "sure"),
        List.of("no", "nope", "wrong", "neither"),
        List.of("one", "first", "the first one", "number one"),
        List.of("two", "second", "the second one", "number two"),
        List.of(
            "no thanks",
            "no thank you",
            "that's all",
            "that is all",
            "that's it",
            "nothing else",
            "bye",
            "goodbye",
            "i'm done",
            "no"));
  }

  /**
   * The Korean words.
   *
   * @return 네/아니요/일번/이번 and "없어요", "됐어요", "괜찮아요"…
   */
  public static CallerWords korean() {
    return new CallerWords(
        List.of("네", "예", "응", "맞아요", "맞습니다"),
        List.of("아니요", "아니오", "아뇨", "아니"),
        List.of("일번", "1번", "첫번째", "첫 번째", "하나", "일"),
        List.of("이번", "2번", "두번째", "두 번째", "둘", "이"),
        List.of("없어요", "없습니다", "괜찮아요", "괜찮습니다", "됐어요", "됐습니다", "끝", "안녕히 계세요"));
  }

  /**
   * The words of a language tag: Korean for {@code ko…}, English otherwise.
   *
   * @param languageTag the call's language
   * @return the words
   */
  public static CallerWords forLanguage(String languageTag) {
    return languageTag.toLowerCase(Locale.ROOT).startsWith("ko") ? korean() : english();
  }

  /**
   * Whether a transcript contains one of the phrases as whole words.
   *
   * @param transcript what the caller said
   * @param phrases normalised phrases (one of this record's lists)
   * @return true when one matches
   */
  public static boolean saysAny(String transcript, List<String> phrases) {
    String text = " " + normalise(transcript) + " ";
    for (String p : phrases) {
      if (text.contains(" " + p + " ")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Lower case, punctuation (except the apostrophe) as spaces, single spaces.
   *
   * @param text any text
   * @return the normalised text
   */
  static String normalise(String text) {
    return text.toLowerCase(Locale.ROOT)
        .replace('’', '\'')
        .replaceAll("[^\\p{L}\\p{N}']+", " ")
        .trim();
  }
}
