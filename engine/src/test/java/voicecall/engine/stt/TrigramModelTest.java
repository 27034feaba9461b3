package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import voicecall.rag.KnowledgeBase;

class TrigramModelTest {

  private static final List<List<String>> SENTENCES =
      List.of(
          Words.of("how do I change my plan"),
          Words.of("how do I pay my bill"),
          Words.of("how can I pay my bill by card"),
          Words.of("my bill is too high"),
          Words.of("change my plan please"),
          Words.of("yes"),
          Words.of("yes please"));

  private static double sum(TrigramModel m, Set<String> words, String u, String v) {
    double total = 0;
    for (String w : words) {
      total += m.probability(u, v, w);
    }
    return total;
  }

  @Test
  void everyHistorysDistributionSumsToOne() {
    TrigramModel m = TrigramModel.estimate(SENTENCES);
    Set<String> words = m.predictable();
    assertThat(words).contains("plan", "bill", TrigramModel.END).doesNotContain(TrigramModel.START);

    double unigrams = 0;
    for (String w : words) {
      unigrams += m.unigramProbability(w);
    }
    assertThat(unigrams).isCloseTo(1.0, within(1e-9));

    for (String v : m.bigramHistories()) {
      double total = 0;
      for (String w : words) {
        total += m.bigramProbability(v, w);
      }
      assertThat(total).as("P(.|%s)", v).isCloseTo(1.0, within(1e-9));
    }
    assertThat(m.trigramHistories()).hasSizeGreaterThan(10);
    for (List<String> h : m.trigramHistories()) {
      assertThat(sum(m, words, h.get(0), h.get(1))).as("P(.|%s)", h).isCloseTo(1.0, within(1e-9));
    }
    // A history never seen backs off all the way and still sums to one.
    assertThat(sum(m, words, "bill", "how")).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void seenContinuationsAreMoreLikelyThanUnseenOnes() {
    TrigramModel m = TrigramModel.estimate(SENTENCES);
    assertThat(m.probability("do", "i", "change")).isGreaterThan(m.probability("do", "i", "high"));
    assertThat(m.probability("my", "bill", "is")).isGreaterThan(0);
    assertThat(m.probability("bill", "please", "card")).isGreaterThan(0);
    assertThat(m.bigramProbability(TrigramModel.START, "how"))
        .isGreaterThan(m.bigramProbability(TrigramModel.START, "card"));
  }

  @Test
  void arpaTextListsEveryNgramWithCountsInTheHeader() {
    TrigramModel m = TrigramModel.estimate(SENTENCES);
    String arpa = m.toArpa();
    assertThat(arpa).startsWith("\\data\\\n").endsWith("\\end\\\n");
    String[] sections = arpa.split("\\\\[123]-grams:\n");
    assertThat(sections).hasSize(4);
    int unigrams = lines(sections[1]);
    int bigrams = lines(sections[2]);
    int trigrams = lines(sections[3].replace("\\end\\\n", ""));
    assertThat(arpa)
        .contains("ngram 1=" + unigrams + "\n")
        .contains("ngram 2=" + bigrams + "\n")
        .contains("ngram 3=" + trigrams + "\n");
    assertThat(unigrams).isEqualTo(m.predictable().size() + 1);
    assertThat(arpa).contains("-99.000000\t<s>\t");
    // log10 P(change | do i) as written
    assertThat(arpa)
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "%.6f\tdo i change",
                Math.log10(m.probability("do", "i", "change"))));
  }

  private static int lines(String section) {
    return (int) section.lines().filter(l -> !l.isBlank()).count();
  }

  @Test
  void modelOfTheEvaluationFaqSumsToOneToo() {
    KnowledgeBase kb = KnowledgeBase.build(1, EvalSet.allEntries());
    TrigramModel m = TrigramModel.estimate(LanguagePack.sentences(kb));
    assertThat(m.vocabulary()).contains("esim", "wifi", "roaming", "tariff").doesNotContain("요금제");
    for (List<String> h : m.trigramHistories()) {
      assertThat(sum(m, m.predictable(), h.get(0), h.get(1))).isCloseTo(1.0, within(1e-9));
    }
  }

  @Test
  void nothingToLearnFromIsAnError() {
    assertThatThrownBy(() -> TrigramModel.estimate(List.of(List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no words");
  }

  @Test
  void wordsAreLowerCaseTokensWithSpokenForms() {
    assertThat(Words.of("How do I turn on Wi-Fi calling? It's 5G!"))
        .containsExactly("how", "do", "i", "turn", "on", "wifi", "calling", "it's", "5g");
    assertThat(Words.sentences("Open the app. Choose Billing; then pay!"))
        .containsExactly(
            List.of("open", "the", "app"), List.of("choose", "billing"), List.of("then", "pay"));
  }
}
