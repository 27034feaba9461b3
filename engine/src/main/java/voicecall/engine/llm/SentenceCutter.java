package voicecall.engine.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cuts text that arrives in pieces into sentences as soon as each one's end has arrived: a terminal
 * mark followed by white space (or {@code 。}, which needs none). A period after a common
 * abbreviation or a single letter is not an end. Bracketed citations inside the text are dropped.
 */
final class SentenceCutter {

  private static final String TERMINALS = ".!?…";
  private static final Pattern CITATION = Pattern.compile("\\s*\\[[^\\]\\[]{0,80}\\]");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "vs", "no", "approx", "etc", "tel", "ext");

  private final StringBuilder pending = new StringBuilder();
  private int scanned;
  private boolean emitted;

  List<String> add(String piece) {
    pending.append(piece);
    List<String> out = new ArrayList<>();
    int i = scanned;
    while (i < pending.length()) {
      char c = pending.charAt(i);
      boolean end =
          c == '。'
              || (TERMINALS.indexOf(c) >= 0
                  && i + 1 < pending.length()
                  && Character.isWhitespace(pending.charAt(i + 1))
                  && !(c == '.' && abbreviation(i)));
      if (end) {
        emit(out, pending.substring(0, i + 1));
        pending.delete(0, i + 1);
        i = 0;
      } else {
        i++;
      }
    }
    // the last character may be a terminal whose following space has not arrived yet
    scanned = Math.max(0, pending.length() - 1);
    return out;
  }

  List<String> finish() {
    List<String> out = new ArrayList<>();
    emit(out, pending.toString());
    pending.setLength(0);
    scanned = 0;
    return out;
  }

  boolean emittedAny() {
    return emitted;
  }

  private boolean abbreviation(int dot) {
    int start = dot;
    while (start > 0 && !Character.isWhitespace(pending.charAt(start - 1))) {
      start--;
    }
    String word = pending.substring(start, dot).toLowerCase(Locale.ROOT);
    return (word.length() == 1 && Character.isLetter(word.charAt(0)))
        || ABBREVIATIONS.contains(word);
  }

  private void emit(List<String> out, String raw) {
    String s = SPACES.matcher(CITATION.matcher(raw).replaceAll("")).replaceAll(" ").strip();
    if (s.codePoints().anyMatch(Character::isLetterOrDigit)) {
      out.add(s);
      emitted = true;
    }
  }
}
