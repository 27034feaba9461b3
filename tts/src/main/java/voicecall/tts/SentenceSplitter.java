package voicecall.tts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits a reply into sentences, the units that are synthesised in parallel and played in order.
 * Knows Korean sentence endings (…니다. …요? …죠, also without punctuation), English abbreviations,
 * initials and decimals that do not end a sentence, and closing quotes. A sentence longer than
 * {@code maxChars} is cut at clause boundaries (commas, Korean connective endings, English
 * conjunctions), and the first chunk is kept at most {@code firstChunkMaxChars} long when a clause
 * boundary allows it, so the caller hears the first words early. Immutable and thread-safe.
 */
public final class SentenceSplitter {

  /** Default longest chunk, in characters. */
  public static final int DEFAULT_MAX_CHARS = 120;

  /** Default longest first chunk, in characters. */
  public static final int DEFAULT_FIRST_CHUNK_MAX_CHARS = 40;

  private static final int MIN_CHUNK_CHARS = 6;
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final String TERMINALS = ".!?。…";
  private static final String CLOSERS = "\"'”’)]」』»";
  private static final Set<String> ABBREVIATIONS =
      Set.of(
          "mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "vs", "no", "approx", "inc", "ltd", "jr",
          "sr", "prof", "mt", "fig", "dept", "est", "u.s", "u.k", "tel", "ext");
  private static final List<String> KOREAN_ENDINGS =
      List.of(
          "니다", "세요", "어요", "아요", "해요", "에요", "예요", "까요", "네요", "군요", "죠", "래요", "대요", "지요", "거든요",
          "데요");
  private static final List<String> KOREAN_CONNECTIVES =
      List.of("고", "며", "면", "서", "지만", "는데", "은데", "니까", "거나", "면서", "도록");
  private static final List<String> ENGLISH_CONJUNCTIONS =
      List.of("and", "but", "or", "so", "because", "which", "while", "then", "if", "when");

  private final int maxChars;
  private final int firstChunkMaxChars;

  private SentenceSplitter(int maxChars, int firstChunkMaxChars) {
    this.maxChars = maxChars;
    this.firstChunkMaxChars = firstChunkMaxChars;
  }

  /**
   * A splitter with the default limits ({@value #DEFAULT_MAX_CHARS} and {@value
   * #DEFAULT_FIRST_CHUNK_MAX_CHARS} characters).
   *
   * @return the splitter
   */
  public static SentenceSplitter create() {
    return create(DEFAULT_MAX_CHARS, DEFAULT_FIRST_CHUNK_MAX_CHARS);
  }

  /**
   * A splitter with the given limits.
   *
   * @param maxChars longest chunk; at least 20
   * @param firstChunkMaxChars longest first chunk, when a clause boundary allows; between 10 and
   *     {@code maxChars}
   * @return the splitter
   */
  public static SentenceSplitter create(int maxChars, int firstChunkMaxChars) {
    if (maxChars < 20) {
      throw new IllegalArgumentException("maxChars must be at least 20, was " + maxChars);
    }
    if (firstChunkMaxChars < 10 || firstChunkMaxChars > maxChars) {
      throw new IllegalArgumentException(
          "firstChunkMaxChars must be between 10 and maxChars ("
              + maxChars
              + "), was "
              + firstChunkMaxChars);
    }
    return new SentenceSplitter(maxChars, firstChunkMaxChars);
  }

  /**
   * Splits text into chunks to synthesise, in reading order. Chunks with nothing speakable in them
   * (only punctuation) are left out.
   *
   * @param text the reply text
   * @param language its language
   * @return the chunks, immutable; empty when the text holds nothing to say
   */
  public List<String> split(String text, Language language) {
    String clean = SPACES.matcher(text).replaceAll(" ").strip();
    List<String> chunks = new ArrayList<>();
    for (String sentence : sentences(clean, language)) {
      String rest = sentence;
      int limit = chunks.isEmpty() ? firstChunkMaxChars : maxChars;
      while (rest.length() > limit) {
        int cut = cutPoint(rest, language, limit, chunks.isEmpty());
        if (cut <= 0) {
          break;
        }
        addSpeakable(chunks, rest.substring(0, cut));
        rest = rest.substring(cut).strip();
        limit = maxChars;
      }
      addSpeakable(chunks, rest);
    }
    return List.copyOf(chunks);
  }

  private static void addSpeakable(List<String> chunks, String chunk) {
    String stripped = chunk.strip();
    if (SpeechText.isSpeakable(stripped)) {
      chunks.add(stripped);
    }
  }

  private List<String> sentences(String text, Language language) {
    List<String> sentences = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int end = -1;
      if (TERMINALS.indexOf(c) >= 0) {
        end = terminalEnd(text, start, i);
      } else if (c == ' ' && language == Language.KOREAN && endsWithKoreanEnding(text, start, i)) {
        end = i;
      }
      if (end > 0) {
        sentences.add(text.substring(start, end));
        start = end;
        i = end;
      } else {
        i++;
      }
    }
    if (start < text.length()) {
      sentences.add(text.substring(start));
    }
    return sentences;
  }

  /** The end of the sentence whose terminal punctuation starts at {@code at}, or -1. */
  private static int terminalEnd(String text, int start, int at) {
    int j = at;
    while (j < text.length() && TERMINALS.indexOf(text.charAt(j)) >= 0) {
      j++;
    }
    boolean singlePeriod = j - at == 1 && text.charAt(at) == '.';
    while (j < text.length() && CLOSERS.indexOf(text.charAt(j)) >= 0) {
      j++;
    }
    if (j < text.length() && text.charAt(j) != ' ') {
      return -1; // 3.5, www.kt.com, "…니다."라고
    }
    int next = j + 1;
    if (next < text.length() && Character.isLowerCase(text.charAt(next))) {
      return -1; // "Is it ready?" she asked. / e.g. lower case
    }
    if (singlePeriod) {
      String word = lastWord(text, start, at);
      String lower = word.toLowerCase(Locale.ROOT);
      if (ABBREVIATIONS.contains(lower)) {
        return -1;
      }
      if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
        return -1; // an initial: J. Smith
      }
    }
    return j;
  }

  private static String lastWord(String text, int start, int end) {
    int from = end;
    while (from > start && text.charAt(from - 1) != ' ') {
      from--;
    }
    String word = text.substring(from, end);
    while (!word.isEmpty() && !Character.isLetterOrDigit(word.charAt(0))) {
      word = word.substring(1);
    }
    return word;
  }

  private static boolean endsWithKoreanEnding(String text, int start, int space) {
    String word = lastWord(text, start, space);
    for (String ending : KOREAN_ENDINGS) {
      if (word.endsWith(ending) && word.length() > ending.length()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where to cut a too-long sentence: the last clause boundary within the limit, else the last
   * space within the limit (or, for the first chunk, no cut at all), else the limit.
   */
  private int cutPoint(String sentence, Language language, int limit, boolean first) {
    int best = -1;
    for (int i = MIN_CHUNK_CHARS; i < Math.min(limit, sentence.length() - MIN_CHUNK_CHARS); i++) {
      if (sentence.charAt(i) == ' ' && isClauseBoundary(sentence, i, language)) {
        best = i;
      }
    }
    if (best > 0 || first && sentence.length() <= maxChars) {
      return best;
    }
    int space = sentence.lastIndexOf(' ', limit);
    return space >= MIN_CHUNK_CHARS ? space : limit;
  }

  /** Whether a chunk may end at the space at {@code space}. */
  private static boolean isClauseBoundary(String sentence, int space, Language language) {
    char before = sentence.charAt(space - 1);
    if (before == ',' || before == ';' || before == ':' || before == '，') {
      return true;
    }
    if (language == Language.KOREAN) {
      String word = lastWord(sentence, 0, space);
      for (String ending : KOREAN_CONNECTIVES) {
        if (word.endsWith(ending) && word.length() > ending.length()) {
          return true;
        }
      }
      return false;
    }
    int nextEnd = sentence.indexOf(' ', space + 1);
    String next = sentence.substring(space + 1, nextEnd < 0 ? sentence.length() : nextEnd);
    return ENGLISH_CONJUNCTIONS.contains(next.toLowerCase(Locale.ROOT));
  }
}
