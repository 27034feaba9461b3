package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.DecisionPolicy;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.KnowledgeIndex;
import voicecall.tts.audio.PcmAudio;

/**
 * Recognition accuracy on the rag evaluation set: the 90 paraphrased English caller questions,
 * spoken by two flite voices each (rotating through slt, rms, awb, kal16), in the telephone band (8
 * kHz, µ-law), decoded with the domain model of the evaluation FAQ. Reports the word error rate and
 * how often the transcript, asked to the knowledge index, lands on the right entry; also the CPU
 * per second of audio and the finalisation time. The floors are a few points under what was
 * measured (see STT-README.md).
 */
class RecognitionAccuracyIT {

  private static final int VOICES_PER_QUERY = 2;
  private static final double FLOOR_NOISY_WER = 0.82;
  private static final double FLOOR_NOISY_TOP1 = 0.20;

  private static PocketSphinxRecognizer recognizer;
  private static KnowledgeIndex index;

  @BeforeAll
  static void setUp() {
    SpeechToolsInstalled.assume();
    KnowledgeBase knowledge = KnowledgeBase.build(1, EvalSet.allEntries());
    index = new KnowledgeIndex(knowledge, DecisionPolicy.DEFAULT, 0);
    recognizer =
        PocketSphinxRecognizer.create(
            knowledge,
            PocketSphinxRecognizer.SYSTEM_MODEL,
            PocketSphinxRecognizer.Settings.defaults());
  }

  @AfterAll
  static void tearDown() {
    if (recognizer != null) {
      recognizer.close();
    }
  }

  record Case(String expectedId, String text, String voice, PcmAudio audio) {}

  @Test
  void paraphrasedQuestionsOverTheTelephoneBand() {
    double[] result = run("clean", Double.POSITIVE_INFINITY);
    assertThat(result[0]).isLessThan(0.32);
    assertThat(result[1]).isGreaterThan(0.80);
  }

  @Test
  void paraphrasedQuestionsInWhiteNoiseAt15Db() {
    double[] result = run("white noise 15 dB", 15);
    assertThat(result[0]).isLessThan(FLOOR_NOISY_WER);
    assertThat(result[1]).isGreaterThan(FLOOR_NOISY_TOP1);
  }

  /** Returns WER and top-1 rate. */
  private static double[] run(String label, double snrDb) {
    List<Case> cases = new ArrayList<>();
    List<EvalSet.Query> queries = EvalSet.queries("en");
    int n = 0;
    for (EvalSet.Query q : queries) {
      if (q.expectedId() == null) {
        continue;
      }
      for (int v = 0; v < VOICES_PER_QUERY; v++) {
        String voice = Speech.VOICES[(n + v) % Speech.VOICES.length];
        cases.add(
            new Case(
                q.expectedId(),
                q.text(),
                voice,
                Speech.telephone(voice, q.text(), snrDb, n * 7L + v)));
      }
      n++;
    }

    RecognitionSession session =
        Objects.requireNonNull(recognizer.open().block(Duration.ofSeconds(30)));
    // Warm the decoder's cepstral normalisation, as a pooled decoder is after its first call.
    session.recognize(Speech.frames(cases.get(0).audio())).block(Duration.ofSeconds(30));

    long errors = 0;
    long referenceWords = 0;
    int top1 = 0;
    int top1Perfect = 0;
    double audioSeconds = 0;
    long[] finalisationMicros = new long[cases.size()];
    StringBuilder misses = new StringBuilder();
    var bean =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = bean.getProcessCpuTime();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Transcript t =
          Objects.requireNonNull(
              session.recognize(Speech.frames(c.audio())).block(Duration.ofSeconds(30)));
      audioSeconds += c.audio().duration().toNanos() / 1e9;
      finalisationMicros[i] = t.finalisation().toNanos() / 1000;
      List<String> ref = Words.of(c.text());
      List<String> hyp = Words.of(t.text());
      errors += editDistance(ref, hyp);
      referenceWords += ref.size();
      if (lands(c.expectedId(), t.text())) {
        top1++;
      } else {
        misses.append(
            String.format(
                Locale.ROOT,
                "  miss [%s] %s -> \"%s\" (%.2f)%n",
                c.voice(),
                c.text(),
                t.text(),
                t.confidence()));
      }
      if (lands(c.expectedId(), c.text())) {
        top1Perfect++;
      }
    }
    long cpuNanos = bean.getProcessCpuTime() - cpuBefore;
    session.close();

    double wer = (double) errors / referenceWords;
    double top1Rate = (double) top1 / cases.size();
    double perfectRate = (double) top1Perfect / cases.size();
    Arrays.sort(finalisationMicros);
    System.out.printf(
        Locale.ROOT,
        "[stt] %s: %d utterances (%.0f s audio), vocabulary %d, letter-to-sound %s%n"
            + "[stt] WER %.1f %%; top-1 from transcripts %.1f %% (from the true text %.1f %%)%n"
            + "[stt] CPU %.3f s per s of audio (whole JVM, one session)%n"
            + "[stt] finalisation p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n%s",
        label,
        cases.size(),
        audioSeconds,
        recognizer.vocabularySize(),
        recognizer.guessedPronunciations(),
        100 * wer,
        100 * top1Rate,
        100 * perfectRate,
        cpuNanos / 1e9 / audioSeconds,
        percentile(finalisationMicros, 0.50) / 1000.0,
        percentile(finalisationMicros, 0.95) / 1000.0,
        percentile(finalisationMicros, 0.99) / 1000.0,
        finalisationMicros[finalisationMicros.length - 1] / 1000.0,
        misses);
    assertThat(cases).hasSize(180);
    return new double[] {wer, top1Rate};
  }

  private static boolean lands(String expectedId, String text) {
    Answer a = index.ask(text, voicecall.rag.Language.EN);
    return (a.decision() == Decision.ANSWER || a.decision() == Decision.CLARIFY)
        && expectedId.equals(a.entryId());
  }

  static long percentile(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static int editDistance(List<String> a, List<String> b) {
    int[] prev = new int[b.size() + 1];
    int[] cur = new int[b.size() + 1];
    for (int j = 0; j <= b.size(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.size(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.size(); j++) {
        int sub = prev[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.size()];
  }
}
