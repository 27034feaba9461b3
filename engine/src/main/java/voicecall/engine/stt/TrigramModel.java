package voicecall.engine.stt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleBiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A backoff trigram language model with Witten-Bell smoothing, written as ARPA text.
 *
 * <p>Witten-Bell interpolates each order with the next lower one: for a history {@code h} seen
 * {@code n(h)} times followed by {@code t(h)} distinct words, {@code P(w|h) = (c(h,w) + t(h)
 * P(w|h')) / (n(h) + t(h))}, where {@code h'} drops the oldest word and unigrams interpolate with
 * the uniform distribution over the vocabulary. The interpolated probabilities of seen n-grams are
 * stored as they are, and each history gets the backoff weight {@code (1 - Σ P(w|h)) / (1 - Σ
 * P(w|h'))} over the words seen after it, so every history's distribution sums to one when read
 * with ARPA backoff rules.
 */
final class TrigramModel {

  static final String START = "<s>";
  static final String END = "</s>";

  /** Every word that can be predicted: the vocabulary and {@code </s>}, not {@code <s>}. */
  private final Set<String> predictable;

  private final Map<String, Double> unigram = new HashMap<>();
  private final Map<List<String>, Double> unigramBackoff = new HashMap<>();
  private final Map<List<String>, Double> bigram = new HashMap<>();
  private final Map<List<String>, Double> bigramBackoff = new HashMap<>();
  private final Map<List<String>, Double> trigram = new HashMap<>();

  private TrigramModel(Set<String> predictable) {
    this.predictable = predictable;
  }

  /**
   * Estimates the model from sentences of words (without sentence markers).
   *
   * @throws IllegalArgumentException when there is no word at all
   */
  static TrigramModel estimate(List<List<String>> sentences) {
    Map<String, Integer> c1 = new TreeMap<>();
    Map<List<String>, Integer> c2 = new HashMap<>();
    Map<List<String>, Integer> c3 = new HashMap<>();
    for (List<String> sentence : sentences) {
      if (sentence.isEmpty()) {
        continue;
      }
      List<String> s = new ArrayList<>(sentence.size() + 2);
      s.add(START);
      s.addAll(sentence);
      s.add(END);
      for (int i = 1; i < s.size(); i++) {
        c1.merge(s.get(i), 1, Integer::sum);
        c2.merge(List.of(s.get(i - 1), s.get(i)), 1, Integer::sum);
        if (i >= 2) {
          c3.merge(List.of(s.get(i - 2), s.get(i - 1), s.get(i)), 1, Integer::sum);
        }
      }
    }
    if (c1.size() <= 1) {
      throw new IllegalArgumentException("no words to build a language model from");
    }
    TrigramModel m = new TrigramModel(Set.copyOf(new TreeSet<>(c1.keySet())));
    long total = 0;
    for (int c : c1.values()) {
      total += c;
    }
    int types = c1.size();
    double uniform = 1.0 / types;
    for (Map.Entry<String, Integer> e : c1.entrySet()) {
      m.unigram.put(e.getKey(), (e.getValue() + types * uniform) / (total + types));
    }
    interpolate(c2, (h, w) -> m.unigramProbability(w), m.bigram, m.unigramBackoff);
    interpolate(c3, (h, w) -> m.bigramProbability(h.get(1), w), m.trigram, m.bigramBackoff);
    return m;
  }

  /**
   * Witten-Bell for one order: groups the n-gram counts by history, stores the interpolated
   * probability of each seen n-gram and the backoff weight of each history.
   */
  private static void interpolate(
      Map<List<String>, Integer> counts,
      ToDoubleBiFunction<List<String>, String> lower,
      Map<List<String>, Double> probabilities,
      Map<List<String>, Double> backoffs) {
    Map<List<String>, Map<String, Integer>> byHistory = new HashMap<>();
    counts.forEach(
        (k, v) ->
            byHistory
                .computeIfAbsent(List.copyOf(k.subList(0, k.size() - 1)), x -> new HashMap<>())
                .put(k.get(k.size() - 1), v));
    byHistory.forEach(
        (h, followers) -> {
          double n = sum(followers);
          int t = followers.size();
          double seen = 0;
          double lowerSeen = 0;
          for (Map.Entry<String, Integer> f : followers.entrySet()) {
            double below = lower.applyAsDouble(h, f.getKey());
            double p = (f.getValue() + t * below) / (n + t);
            List<String> ngram = new ArrayList<>(h);
            ngram.add(f.getKey());
            probabilities.put(List.copyOf(ngram), p);
            seen += p;
            lowerSeen += below;
          }
          backoffs.put(h, backoff(seen, lowerSeen));
        });
  }

  private static double sum(Map<String, Integer> counts) {
    double n = 0;
    for (int c : counts.values()) {
      n += c;
    }
    return n;
  }

  private static double backoff(double seen, double lowerSeen) {
    double left = 1 - lowerSeen;
    return left <= 1e-12 ? 0 : Math.max(0, 1 - seen) / left;
  }

  /** The words the model predicts: the vocabulary plus {@code </s>}. */
  Set<String> predictable() {
    return predictable;
  }

  /** The vocabulary without sentence markers. */
  Set<String> vocabulary() {
    Set<String> out = new TreeSet<>(predictable);
    out.remove(END);
    return out;
  }

  /** P(w) for a predictable word, 0 for anything else. */
  double unigramProbability(String w) {
    return unigram.getOrDefault(w, 0.0);
  }

  /** P(w | v) with ARPA backoff. */
  double bigramProbability(String v, String w) {
    Double p = bigram.get(List.of(v, w));
    if (p != null) {
      return p;
    }
    return unigramBackoff.getOrDefault(List.of(v), 1.0) * unigramProbability(w);
  }

  /** P(w | u v) with ARPA backoff. */
  double probability(String u, String v, String w) {
    Double p = trigram.get(List.of(u, v, w));
    if (p != null) {
      return p;
    }
    return bigramBackoff.getOrDefault(List.of(u, v), 1.0) * bigramProbability(v, w);
  }

  /** Every two-word history that has trigrams. */
  Set<List<String>> trigramHistories() {
    return bigramBackoff.keySet();
  }

  /** Every one-word history that has bigrams. */
  Set<String> bigramHistories() {
    Set<String> out = new TreeSet<>();
    unigramBackoff.keySet().forEach(h -> out.add(h.get(0)));
    return out;
  }

  /** The model in ARPA format (log10 probabilities and backoff weights). */
  String toArpa() {
    StringBuilder out = new StringBuilder(64 * (unigram.size() + bigram.size() + trigram.size()));
    out.append("\\data\\\n");
    out.append("ngram 1=").append(unigram.size() + 1).append('\n');
    out.append("ngram 2=").append(bigram.size()).append('\n');
    out.append("ngram 3=").append(trigram.size()).append("\n\n");
    out.append("\\1-grams:\n");
    line(out, -99, START, unigramBackoff.get(List.of(START)));
    for (String w : new TreeSet<>(unigram.keySet())) {
      line(out, Math.log10(unigramProbability(w)), w, unigramBackoff.get(List.of(w)));
    }
    out.append("\n\\2-grams:\n");
    for (List<String> k : sorted(bigram.keySet())) {
      line(out, Math.log10(bigram.getOrDefault(k, 0.0)), String.join(" ", k), bigramBackoff.get(k));
    }
    out.append("\n\\3-grams:\n");
    for (List<String> k : sorted(trigram.keySet())) {
      line(out, Math.log10(trigram.getOrDefault(k, 0.0)), String.join(" ", k), null);
    }
    out.append("\n\\end\\\n");
    return out.toString();
  }

  private static List<List<String>> sorted(Set<List<String>> keys) {
    List<List<String>> out = new ArrayList<>(keys);
    out.sort((a, b) -> String.join(" ", a).compareTo(String.join(" ", b)));
    return out;
  }

  private static void line(
      StringBuilder out, double log10, String words, @Nullable Double backoff) {
    out.append(String.format(Locale.ROOT, "%.6f", log10)).append('\t').append(words);
    if (backoff != null) {
      double b = backoff > 0 ? Math.log10(backoff) : -99;
      out.append('\t').append(String.format(Locale.ROOT, "%.6f", b));
    }
    out.append('\n');
  }
}
