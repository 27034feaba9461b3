package voicecall.rag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.POS;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The analysers, one per language, and the field names they serve. Korean uses Nori: morphemes, so
 * particles, endings and spacing variants fall away ("요금제 바꾸려면요" and "요금제를 바꾸는 방법" share 요금제 and
 * 바꾸). English uses Lucene's English analyser (possessives, Porter stemming) with the small words
 * of spoken questions added to its stop words, because they say nothing about which entry is meant.
 */
final class LanguageAnalysis {

  static final String ORDINAL = "ord";

  /** Question words and fillers of spoken English; stemming runs after this filter. */
  private static final List<String> SPOKEN_STOP_WORDS =
      List.of(
          "i",
          "me",
          "my",
          "mine",
          "you",
          "your",
          "we",
          "our",
          "us",
          "can",
          "could",
          "would",
          "should",
          "do",
          "does",
          "did",
          "how",
          "what",
          "when",
          "where",
          "why",
          "which",
          "who",
          "please",
          "tell",
          "know",
          "want",
          "wanna",
          "like",
          "need",
          "hi",
          "hello",
          "hey",
          "ok",
          "okay",
          "so",
          "just",
          "some",
          "any",
          "get",
          "go",
          "have",
          "has",
          "am",
          "about",
          "there",
          "here",
          "from",
          "up",
          "out",
          "thanks",
          "thank",
          "yes",
          "from",
          "way",
          "possible",
          "much",
          "many",
          "anything",
          "something",
          "help",
          "let");

  /** Korean parts of speech that carry no topic, on top of Nori's default stop tags. */
  private static final Set<POS.Tag> KOREAN_STOP_TAGS = koreanStopTags();

  private final Analyzer english;
  private final Analyzer korean;

  LanguageAnalysis() {
    CharArraySet stop = new CharArraySet(EnglishAnalyzer.getDefaultStopSet(), true);
    stop.addAll(SPOKEN_STOP_WORDS);
    english = new EnglishAnalyzer(stop);
    korean =
        new KoreanAnalyzer(null, KoreanTokenizer.DecompoundMode.MIXED, KOREAN_STOP_TAGS, false);
    // Nori reads its dictionaries from the jar on first use: do it now, while the knowledge base
    // is built, rather than on whichever thread asks the first Korean question.
    terms(Language.KO, "요금제");
    terms(Language.EN, "plan");
  }

  /** The indexed text fields of an entry, and how much a match in each one counts. */
  enum Field {
    QUESTION("q", 3.0f),
    TAGS("t", 1.5f),
    ANSWER("a", 1.0f);

    private final String prefix;
    private final float boost;

    Field(String prefix, float boost) {
      this.prefix = prefix;
      this.boost = boost;
    }

    String name(Language lang) {
      return prefix + "_" + lang.code();
    }

    float boost() {
      return boost;
    }
  }

  Analyzer analyzer(Language lang) {
    return lang == Language.KO ? korean : english;
  }

  /**
   * The distinct terms of a text, in order of first appearance.
   *
   * @param lang whose analyser to use
   * @param text any text
   * @return the terms
   */
  List<String> terms(Language lang, String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer(lang).tokenStream("x", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      // Analysing a String in memory cannot really fail; keep the cause if it ever does.
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(terms);
  }

  /**
   * Analyses a text once, keeping every token and its position increment.
   *
   * @param lang whose analyser to use
   * @param text any text
   * @return the analysed text
   */
  AnalysedText analyse(Language lang, String text) {
    List<String> terms = new ArrayList<>();
    List<Integer> increments = new ArrayList<>();
    try (TokenStream ts = analyzer(lang).tokenStream("x", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = ts.addAttribute(PositionIncrementAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
        increments.add(increment.getPositionIncrement());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AnalysedText(terms, increments);
  }

  private static Set<POS.Tag> koreanStopTags() {
    Set<POS.Tag> tags = new HashSet<>(KoreanPartOfSpeechStopFilter.DEFAULT_STOP_TAGS);
    // Auxiliary verbs (주세요 in 알려 주세요), copulas, pronouns, bound nouns (수, 것).
    tags.add(POS.Tag.VX);
    tags.add(POS.Tag.VCP);
    tags.add(POS.Tag.VCN);
    tags.add(POS.Tag.NP);
    tags.add(POS.Tag.NNB);
    return Set.copyOf(tags);
  }
}
