package voicecall.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Retrieval latency and rebuild time at 10,000 entries. The knowledge base is the evaluation set
 * (60 real entries) plus synthetic entries in both languages built from the same vocabulary, so
 * terms are shared across many entries as in a real FAQ. Queries are the evaluation queries
 * (in-scope and out-of-scope), asked in turn.
 *
 * <p>Run: {@code mvn -Pjmh -pl rag -am test-compile exec:exec -Djmh.args="KnowledgeBenchmark -f
 * 1"}.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KnowledgeBenchmark {

  /** Number of entries in the knowledge base. */
  @Param({"10000"})
  public int entries;

  private List<Entry> faq = List.of();
  private List<EvaluationSet.Query> queries = List.of();
  private KnowledgeIndex uncached = new KnowledgeIndex(KnowledgeBase.empty(), DecisionPolicy.DEFAULT, 0);
  private KnowledgeIndex cached = uncached;
  private int next;

  /** Builds the entries, the queries and the live indexes once per trial. */
  @Setup(Level.Trial)
  public void setUp() {
    faq = synthetic(entries);
    List<EvaluationSet.Query> all = new ArrayList<>(EvaluationSet.queries(Language.EN));
    all.addAll(EvaluationSet.queries(Language.KO));
    queries = List.copyOf(all);
    uncached = new KnowledgeIndex(KnowledgeBase.build(1, faq), DecisionPolicy.DEFAULT, 0);
    cached = new KnowledgeIndex(KnowledgeBase.build(1, faq), DecisionPolicy.DEFAULT, 10_000);
  }

  private String nextQuery() {
    next = (next + 1) % queries.size();
    return queries.get(next).text();
  }

  /**
   * One question through detection, analysis, BM25 search and decision, cache disabled.
   *
   * @return the answer
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Answer askUncached() {
    return uncached.ask(nextQuery(), null);
  }

  /**
   * The same questions with the answer cache on (every query repeats, so mostly hits).
   *
   * @return the answer
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Answer askCached() {
    return cached.ask(nextQuery(), null);
  }

  /**
   * Builds a complete new version of {@code entries} entries and swaps it in.
   *
   * @return the replaced version
   */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 10)
  public KnowledgeBase rebuildAndSwap() {
    return uncached.swap(KnowledgeBase.build(2, faq));
  }

  /**
   * Questions asked while another thread rebuilds and swaps without pause: the latency calls see
   * during a knowledge upload.
   *
   * @return the answer
   */
  @Benchmark
  @Group("duringRebuild")
  @GroupThreads(1)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Answer askDuringRebuild() {
    return uncached.ask(nextQuery(), null);
  }

  /**
   * The rebuilding side of {@link #askDuringRebuild}.
   *
   * @return the replaced version
   */
  @Benchmark
  @Group("duringRebuild")
  @GroupThreads(1)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public KnowledgeBase rebuildDuringAsks() {
    return uncached.swap(KnowledgeBase.build(3, faq));
  }

  /** The evaluation entries plus synthetic ones made of their words, {@code total} in all. */
  static List<Entry> synthetic(int total) {
    List<Entry> real = EvaluationSet.allEntries();
    List<Entry> out = new ArrayList<>(real);
    List<List<String>> words = new ArrayList<>();
    for (Language lang : Language.values()) {
      List<String> w = new ArrayList<>();
      for (Entry e : real) {
        if (e.language() == lang) {
          for (String q : e.questions()) {
            w.addAll(List.of(q.replaceAll("[?.,|]", "").split(" ")));
          }
          w.addAll(List.of(e.answer().replaceAll("[?.,]", "").split(" ")));
        }
      }
      words.add(w);
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = out.size(); i < total; i++) {
      Language lang = Language.values()[i % 2];
      List<String> w = words.get(lang.ordinal());
      out.add(
          new Entry(
              "syn-" + i,
              List.of(sentence(w, random, 6), sentence(w, random, 6)),
              sentence(w, random, 25),
              List.of(w.get(random.nextInt(w.size())).replace(",", "")),
              lang));
    }
    return out;
  }

  private static String sentence(List<String> words, SplittableRandom random, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (i > 0) {
        s.append(' ');
      }
      s.append(words.get(random.nextInt(words.size())));
    }
    return s.toString();
  }
}
