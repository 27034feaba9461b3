package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import voicecall.engine.testspeech.Festival;
import voicecall.rag.Answer;
import voicecall.rag.CsvEntries;
import voicecall.rag.Decision;
import voicecall.rag.DecisionPolicy;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.KnowledgeIndex;
import voicecall.rag.KnowledgeRules;
import voicecall.tts.audio.PcmAudio;

/**
 * Recognition accuracy on the rag evaluation set: the 90 paraphrased English caller questions,
 * spoken by two flite voices each (rotating through slt, rms, awb, kal16), in the telephone band (8
 * kHz, µ-law), decoded with the domain model of the evaluation FAQ. Reports the word error rate and
 * how often the transcript, asked to the knowledge index, lands on the right entry; also the CPU
 * per second of audio and the finalisation time. The floors are a few points under what was
 * measured (see STT-README.md). It also prints the decision outcome of every utterance (ANSWER
 * right or wrong, CLARIFY, NONE, HUMAN) with the transcript asked as text and through {@link
 * SpokenQuestionPolicy#DEFAULT}, and asserts the targets that the policy meets. The
 * transcripts are written to {@code target/stt-<condition>.tsv} for offline tuning.
 */
class RecognitionAccuracyIT {

  private static final int VOICES_PER_QUERY = 2;
  // Questions a caller asks in one call. A call holds its decoder, whose live cepstral mean carries
  // over from utterance to utterance: the first question of a call is decoded from the telephone
  // mean every new decoder starts with (no call gets a decoder another call used), the others with
  // this caller's (STT-README.md, "One call, one caller" and "A decoder per call").
  static final int QUESTIONS_PER_CALL = 3;

  /**
   * Speaking rates, as multiples of each voice's own word durations, rotating over questions and
   * voices: 15 % faster, as is, 15 % slower.
   */
  static final double[] STRETCHES = {1.0, 0.85, 1.15};

  private static final double MAX_WRONG = 0.03;
  // Measured with the noise suppressor and -remove_silence no: WER 70.7 %, top-1 33.3 %, right
  // first 30.0 %. Without both: 74.1 %, 25.0 %, 21.1 %; with -remove_silence no alone: 73.6 %,
  // 27.8 %, 22.2 %; with the suppressor alone (floors 0.3, 0.4, 0.5) right first at most 26.7 %
  // (STT-README.md). So taking out either one fails at least the right-first floor.
  private static final double FLOOR_NOISY_WER = 0.73;
  private static final double FLOOR_NOISY_TOP1 = 0.30;
  private static final double FLOOR_NOISY_RIGHT_FIRST = 0.28;
  // With the shipped noise-adapted model (MAP from four voices), its -topn 3 and the varied
  // speaking rates: WER 52.3 %, top-1 55.6 %, right first 53.9 %, wrong 1.1 % (STT-README.md,
  // "Varied speaking rates, an unseen speaker, stricter answers on noisy lines"; with -topn 4
  // 49.6 %, 57.8 %, 56.1 %, at 8 % more CPU). Without the adapted model, the floors above.
  private static final double FLOOR_ADAPTED_WER = 0.55;
  private static final double FLOOR_ADAPTED_TOP1 = 0.53;
  private static final double FLOOR_ADAPTED_RIGHT_FIRST = 0.51;
  // The unseen speaker (Festival's ked, 90 utterances): floors a few points under the measured
  // right first, clean and white 15 dB (STT-README.md, "An unseen speaker and varied rates").
  private static final double FLOOR_UNSEEN_RIGHT_FIRST = 0.75;
  // Clean, the unseen speaker gets 3 wrong answers of 90 (3.3 %, one utterance over the 3 %
  // target; confidently misheard, e.g. "pay my monthly bill" heard as "update my monthly bill"
  // with a mean word posterior of 0.95). Together with the 180 clean utterances of the four
  // flite voices it is 6 of 270 (2.2 %). The bound is that count, so one more fails; the rows are
  // the same in every run since each call gets a new decoder.
  private static final int MAX_WRONG_UNSEEN_CLEAN = 3;
  private static final double FLOOR_UNSEEN_NOISY_RIGHT_FIRST = 0.55;
  // The FAQ nothing was tuned on, 60 utterances per line, measured 2026-11-26 10:03 UTC: clean
  // right first 56.7 % with 3 wrong answers (5.0 %: over the 3 % target), white 15 dB 41.7 % with
  // none. The true text itself lands on the right entry only 13 times in 30: the index's NONE
  // threshold, calibrated on the evaluation FAQ, turns away most of this FAQ's right entries
  // (STT-README.md, "A FAQ nothing was tuned on"). Bounds at or a few points under that.
  private static final int MAX_WRONG_HELD_OUT_CLEAN = 3;
  private static final double FLOOR_HELD_OUT_RIGHT_FIRST = 0.50;
  private static final double FLOOR_HELD_OUT_NOISY_RIGHT_FIRST = 0.35;
  // Babble is hard on wrong answers whatever the model: the plain model alone gives 3.3 %.
  private static final double MAX_WRONG_BABBLE = 0.05;

  private static PocketSphinxRecognizer recognizer;
  private static PocketSphinxRecognizer.Settings settings;
  private static KnowledgeIndex index;

  /**
   * The recogniser as shipped (noise-adapted model on, default threshold), unless a measurement run
   * changes it with {@code -Dstt.noiseAdapted=false}, {@code -Dstt.noisyLineDbfs=<level>} or {@code
   * -Dstt.noiseTransform=<MLLR file>} (e.g. one estimated from two voices only, for the
   * cross-validation by voice in STT-README.md). The model is still picked per utterance by the
   * session, never forced.
   */
  @BeforeAll
  static void setUp() {
    SpeechToolsInstalled.assume();
    KnowledgeBase knowledge = KnowledgeBase.build(1, EvalSet.allEntries());
    index = new KnowledgeIndex(knowledge, DecisionPolicy.DEFAULT, 0);
    PocketSphinxRecognizer.Settings defaults =
        accuracyOnly(PocketSphinxRecognizer.Settings.defaults());
    settings =
        defaults.withNoiseAdapted(
            Boolean.parseBoolean(System.getProperty("stt.noiseAdapted", "true")),
            Double.parseDouble(
                System.getProperty("stt.noisyLineDbfs", String.valueOf(defaults.noisyLineDbfs()))));
    String noiseArguments = System.getProperty("stt.noiseDecoderArgs", "");
    if (!noiseArguments.isBlank()) {
      settings = settings.withNoiseDecoderArguments(List.of(noiseArguments.trim().split("\\s+")));
    }
    String transform = System.getProperty("stt.noiseTransform", "");
    recognizer =
        PocketSphinxRecognizer.create(
            knowledge,
            PocketSphinxRecognizer.SYSTEM_MODEL,
            settings,
            transform.isEmpty() ? null : Path.of(transform));
    System.out.printf(
        Locale.ROOT,
        "[stt] noise-adapted model %s from %.1f dBFS, its decoder arguments %s, transform %s%n",
        settings.noiseAdapted() ? "on" : "off",
        settings.noisyLineDbfs(),
        settings.noiseDecoderArguments(),
        transform.isEmpty() ? "shipped" : transform);
  }

  /**
   * The defaults with a 10 s finalisation timeout: this test measures accuracy, and on a shared,
   * loaded machine a noisy utterance's finalisation has taken over the 2 s default.
   */
  private static PocketSphinxRecognizer.Settings accuracyOnly(PocketSphinxRecognizer.Settings s) {
    return new PocketSphinxRecognizer.Settings(
        s.maxSessions(), s.threads(), Duration.ofSeconds(10), s.nBest(), s.workDirectory());
  }

  @AfterAll
  static void tearDown() {
    if (recognizer != null) {
      recognizer.close();
    }
  }

  record Case(
      int query, String expectedId, String text, String voice, double stretch, PcmAudio audio) {}

  @Test
  void paraphrasedQuestionsOverTheTelephoneBand() {
    List<Heard> heard = new ArrayList<>();
    double[] result = run("clean", Double.POSITIVE_INFINITY, Speech.Noise.WHITE, heard);
    // a clean line is decoded with the plain model, every utterance
    assertThat(result[2]).isZero();
    assertThat(result[0]).isLessThan(0.32);
    assertThat(result[1]).isGreaterThan(0.80);
    Outcomes after = decisions("clean", heard);
    // The targets that are met: at most 3 % wrong answers, and at least 80 % of the
    // questions get their entry first (ANSWER, or CLARIFY proposing the right entry).
    assertThat(after.wrongRate()).isLessThanOrEqualTo(MAX_WRONG);
    assertThat(after.rightFirstRate()).isGreaterThanOrEqualTo(0.80);
  }

  @Test
  void paraphrasedQuestionsInWhiteNoiseAt15Db() {
    List<Heard> heard = new ArrayList<>();
    double[] result = run("white noise 15 dB", 15, Speech.Noise.WHITE, heard);
    boolean adapted = settings.noiseAdapted();
    if (adapted) {
      // the session's own choice: every utterance of this noisy line went to the adapted model
      assertThat(result[2]).isEqualTo(1.0);
    }
    Outcomes after = decisions("white noise 15 dB", heard);
    assertThat(result[0]).isLessThan(adapted ? FLOOR_ADAPTED_WER : FLOOR_NOISY_WER);
    assertThat(result[1]).isGreaterThan(adapted ? FLOOR_ADAPTED_TOP1 : FLOOR_NOISY_TOP1);
    // In noise the wrong-answer target holds; the 60 % right-first target does not (README).
    assertThat(after.wrongRate()).isLessThanOrEqualTo(MAX_WRONG);
    assertThat(after.rightFirstRate())
        .isGreaterThanOrEqualTo(adapted ? FLOOR_ADAPTED_RIGHT_FIRST : FLOOR_NOISY_RIGHT_FIRST);
  }

  /**
   * A speaker that nothing was tuned or adapted on: Festival's ked diphone voice, each question
   * once, clean and in white noise at 15 dB (the honest estimate for callers the adaptation data
   * has not heard).
   */
  @Test
  void paraphrasedQuestionsByAnUnseenSpeaker() {
    Festival.assumeInstalled();
    String[] ked = {Festival.KED};
    List<Heard> clean = new ArrayList<>();
    double[] cleanResult =
        run("unseen clean", cases(Double.POSITIVE_INFINITY, Speech.Noise.WHITE, ked, 1), clean);
    Outcomes cleanAfter = decisions("unseen clean", clean);
    List<Heard> noisy = new ArrayList<>();
    double[] noisyResult = run("unseen white 15 dB", cases(15, Speech.Noise.WHITE, ked, 1), noisy);
    Outcomes noisyAfter = decisions("unseen white 15 dB", noisy);
    assertThat(cleanResult[2]).isZero();
    if (settings.noiseAdapted()) {
      assertThat(noisyResult[2]).isEqualTo(1.0);
    }
    assertThat(cleanAfter.answerWrong()).isLessThanOrEqualTo(MAX_WRONG_UNSEEN_CLEAN);
    assertThat(noisyAfter.wrongRate()).isLessThanOrEqualTo(MAX_WRONG);
    assertThat(cleanAfter.rightFirstRate()).isGreaterThanOrEqualTo(FLOOR_UNSEEN_RIGHT_FIRST);
    if (settings.noiseAdapted()) {
      assertThat(noisyAfter.rightFirstRate())
          .isGreaterThanOrEqualTo(FLOOR_UNSEEN_NOISY_RIGHT_FIRST);
    }
  }

  /**
   * A second FAQ that neither the recogniser nor the policy was tuned on (home internet and TV, 15
   * entries, in {@code heldout/} next to this class), with 30 caller questions written before it
   * was first measured: its own language model, the shipped settings, clean and at 15 dB white
   * noise, each question by two voices (60 utterances per line). The evaluation FAQ's index and
   * recogniser are put back afterwards.
   */
  @Test
  void paraphrasedQuestionsAboutAnFaqNothingWasTunedOn() throws IOException {
    List<Entry> entries = KnowledgeRules.DEFAULT.validate(CsvEntries.parse(heldOut("faq-en.csv")));
    List<EvalSet.Query> queries = EvalSet.parseQueries(heldOut("queries-en.tsv"));
    assertThat(entries).hasSize(15);
    assertThat(queries).hasSize(30);
    KnowledgeBase faq = KnowledgeBase.build(1, entries);
    PocketSphinxRecognizer tunedRecognizer = recognizer;
    KnowledgeIndex tunedIndex = index;
    try (PocketSphinxRecognizer other =
        PocketSphinxRecognizer.create(faq, PocketSphinxRecognizer.SYSTEM_MODEL, settings)) {
      recognizer = other;
      index = new KnowledgeIndex(faq, DecisionPolicy.DEFAULT, 0);
      List<Heard> clean = new ArrayList<>();
      run(
          "held-out FAQ clean",
          cases(
              queries,
              Double.POSITIVE_INFINITY,
              Speech.Noise.WHITE,
              Speech.VOICES,
              VOICES_PER_QUERY),
          clean);
      Outcomes cleanAfter = decisions("held-out FAQ clean", clean);
      List<Heard> noisy = new ArrayList<>();
      run(
          "held-out FAQ white 15 dB",
          cases(queries, 15, Speech.Noise.WHITE, Speech.VOICES, VOICES_PER_QUERY),
          noisy);
      Outcomes noisyAfter = decisions("held-out FAQ white 15 dB", noisy);
      assertThat(cleanAfter.answerWrong()).isLessThanOrEqualTo(MAX_WRONG_HELD_OUT_CLEAN);
      assertThat(noisyAfter.wrongRate()).isLessThanOrEqualTo(MAX_WRONG);
      assertThat(cleanAfter.rightFirstRate()).isGreaterThanOrEqualTo(FLOOR_HELD_OUT_RIGHT_FIRST);
      assertThat(noisyAfter.rightFirstRate())
          .isGreaterThanOrEqualTo(FLOOR_HELD_OUT_NOISY_RIGHT_FIRST);
    } finally {
      recognizer = tunedRecognizer;
      index = tunedIndex;
    }
  }

  private static String heldOut(String name) throws IOException {
    try (var in = RecognitionAccuracyIT.class.getResourceAsStream("heldout/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource heldout/" + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /**
   * Measurement runs (STT-README.md, "Noise-adapted model"): milder white noise, and two kinds of
   * noise the adaptation data does not have. Whichever model the line's level picks, wrong answers
   * stay within the target (babble: within 5 %, see {@link #MAX_WRONG_BABBLE}).
   */
  @Test
  void paraphrasedQuestionsInWhiteNoiseAt20Db() {
    List<Heard> heard = new ArrayList<>();
    run("white noise 20 dB", 20, Speech.Noise.WHITE, heard);
    assertThat(decisions("white noise 20 dB", heard).wrongRate()).isLessThanOrEqualTo(MAX_WRONG);
  }

  @Test
  void paraphrasedQuestionsInPinkNoiseAt15Db() {
    List<Heard> heard = new ArrayList<>();
    run("pink noise 15 dB", 15, Speech.Noise.PINK, heard);
    assertThat(decisions("pink noise 15 dB", heard).wrongRate()).isLessThanOrEqualTo(MAX_WRONG);
  }

  @Test
  void paraphrasedQuestionsInBabbleAt15Db() {
    List<Heard> heard = new ArrayList<>();
    run("babble 15 dB", 15, Speech.Noise.BABBLE, heard);
    assertThat(decisions("babble 15 dB", heard).wrongRate()).isLessThanOrEqualTo(MAX_WRONG_BABBLE);
  }

  /**
   * The decision outcomes of one way of asking: ANSWER with the expected entry or another, CLARIFY
   * proposing the expected entry, CLARIFY with the expected entry only among the runners-up,
   * CLARIFY without it, NONE, HUMAN; and of the runners-up CLARIFYs, those whose question names the
   * expected entry as the second choice ("Did you mean A, or B?", as {@code Conversation} asks: the
   * first runner-up, within {@link #OFFERED_SECOND_WITHIN} of the best score).
   */
  record Outcomes(
      int answerRight,
      int answerWrong,
      int clarifyRight,
      int clarifyCandidate,
      int clarifyOther,
      int none,
      int human,
      int clarifyOfferedSecond) {

    /** The application's default {@code voicecall.dialogue.clarify-runner-up-within}. */
    static final double OFFERED_SECOND_WITHIN = 0.1;

    int total() {
      return answerRight
          + answerWrong
          + clarifyRight
          + clarifyCandidate
          + clarifyOther
          + none
          + human;
    }

    double wrongRate() {
      return (double) answerWrong / total();
    }

    double rightFirstRate() {
      return (double) (answerRight + clarifyRight) / total();
    }

    /** Right first, or the confirmation question names the right entry as the second choice. */
    double rightNamedRate() {
      return (double) (answerRight + clarifyRight + clarifyOfferedSecond) / total();
    }

    static Outcomes of(List<Heard> heard, Function<Transcript, Answer> asking) {
      int[] n = new int[8];
      for (Heard h : heard) {
        Answer a = asking.apply(h.t());
        String expected = h.c().expectedId();
        boolean right = expected.equals(a.entryId());
        boolean amongRunnersUp =
            a.alternatives().stream().anyMatch(alt -> alt.entryId().equals(expected));
        int slot =
            switch (a.decision()) {
              case ANSWER -> right ? 0 : 1;
              case CLARIFY -> right ? 2 : amongRunnersUp ? 3 : 4;
              case NONE -> 5;
              case HUMAN -> 6;
            };
        n[slot]++;
        if (slot == 3
            && a.alternatives().get(0).entryId().equals(expected)
            && a.score() - a.alternatives().get(0).score() <= OFFERED_SECOND_WITHIN) {
          n[7]++;
        }
      }
      return new Outcomes(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]);
    }

    String row(String name) {
      double t = total() / 100.0;
      return String.format(
          Locale.ROOT,
          "| %s | %d | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% | **%.1f %%** | %.1f %% |%n",
          name,
          total(),
          answerRight / t,
          answerWrong / t,
          clarifyRight / t,
          clarifyCandidate / t,
          clarifyOther / t,
          none / t,
          human / t,
          100 * rightFirstRate(),
          100 * rightNamedRate());
    }
  }

  /**
   * Prints the decision table of the transcripts, asked as plain text (before) and through {@link
   * SpokenQuestionPolicy#DEFAULT} (after), for the whole set and for its two halves: the tuning
   * half (even-numbered questions, on which the policy's defaults were chosen) and the held-out
   * half (odd-numbered). Returns the whole set's outcome after.
   */
  private static Outcomes decisions(String label, List<Heard> heard) {
    Function<Transcript, Answer> plain = t -> index.ask(t.text(), voicecall.rag.Language.EN);
    Function<Transcript, Answer> policy =
        t -> SpokenQuestionPolicy.DEFAULT.ask(index, t, voicecall.rag.Language.EN);
    List<Heard> tune = new ArrayList<>();
    List<Heard> held = new ArrayList<>();
    for (Heard h : heard) {
      (h.c().query() % 2 == 0 ? tune : held).add(h);
    }
    Outcomes after = Outcomes.of(heard, policy);
    System.out.printf(
        Locale.ROOT,
        "[stt] decisions, %s:%n"
            + "| asked | n | ANSWER right | ANSWER wrong | CLARIFY right | CLARIFY, right among"
            + " runners-up | CLARIFY other | NONE | HUMAN | right first | right entry named in the"
            + " first reply (also as second choice) |%n"
            + "|---|---|---|---|---|---|---|---|---|---|---|%n"
            + "%s%s%s%s%s%s",
        label,
        Outcomes.of(heard, plain).row("text, all"),
        after.row("policy, all"),
        Outcomes.of(tune, plain).row("text, tuning half"),
        Outcomes.of(tune, policy).row("policy, tuning half"),
        Outcomes.of(held, plain).row("text, held-out half"),
        Outcomes.of(held, policy).row("policy, held-out half"));
    // by voice pair, for the cross-validation of transforms estimated from two voices
    List<Heard> sltRms = new ArrayList<>();
    List<Heard> awbKal = new ArrayList<>();
    for (Heard h : heard) {
      String v = h.c().voice();
      if (v.equals("slt") || v.equals("rms")) {
        sltRms.add(h);
      } else if (v.equals("awb") || v.equals("kal16")) {
        awbKal.add(h);
      }
    }
    StringBuilder byRate = new StringBuilder();
    for (double stretch : STRETCHES) {
      List<Heard> atRate = heard.stream().filter(h -> h.c().stretch() == stretch).toList();
      byRate.append(
          Outcomes.of(atRate, policy)
              .row(String.format(Locale.ROOT, "policy, durations x %.2f", stretch)));
    }
    for (Heard h : heard) {
      Answer a = policy.apply(h.t());
      if (a.decision() == Decision.ANSWER && !h.c().expectedId().equals(a.entryId())) {
        double mean =
            h.t().words().stream().mapToDouble(WordHypothesis::confidence).average().orElse(1);
        System.out.printf(
            Locale.ROOT,
            "[stt] answered wrong, %s: [%s x%.2f] %s -> \"%s\" -> %s (mean word posterior %.2f)%n",
            label,
            h.c().voice(),
            h.c().stretch(),
            h.c().text(),
            h.t().text(),
            a.entryId(),
            mean);
      }
    }
    if (Boolean.getBoolean("stt.policyGrid")) {
      StringBuilder grid = new StringBuilder();
      for (int agree = 1; agree <= 2; agree++) {
        for (double repeatBelow : new double[] {0.0, 0.1, 0.25}) {
          for (double answerAt : new double[] {0.4, 0.5, 0.6, 0.7}) {
            SpokenQuestionPolicy p = new SpokenQuestionPolicy(agree, answerAt, repeatBelow);
            grid.append(
                Outcomes.of(heard, t -> p.ask(index, t, voicecall.rag.Language.EN))
                    .row(
                        String.format(
                            Locale.ROOT, "grid %d / %.1f / %.2f", agree, answerAt, repeatBelow)));
          }
        }
      }
      System.out.printf(Locale.ROOT, "[stt] policy grid, %s:%n%s", label, grid);
    }
    System.out.printf(
        Locale.ROOT,
        "[stt] by voices and rates, %s:%n%s%s%s",
        label,
        sltRms.isEmpty() ? "" : Outcomes.of(sltRms, policy).row("policy, voices slt + rms"),
        awbKal.isEmpty() ? "" : Outcomes.of(awbKal, policy).row("policy, voices awb + kal16"),
        byRate);
    return after;
  }

  /**
   * The set's utterances: every evaluation question with an expected entry, spoken by {@link
   * #VOICES_PER_QUERY} voices (rotating), in the telephone band with white noise {@code snrDb}
   * below the speech (none for an infinite SNR).
   */
  static List<Case> cases(double snrDb) {
    return cases(snrDb, Speech.Noise.WHITE);
  }

  /** Like {@link #cases(double)} with another kind of noise. */
  static List<Case> cases(double snrDb, Speech.Noise kind) {
    return cases(snrDb, kind, Speech.VOICES, VOICES_PER_QUERY);
  }

  /** Every evaluation question spoken by {@code perQuery} of {@code voices} (rotating). */
  static List<Case> cases(double snrDb, Speech.Noise kind, String[] voices, int perQuery) {
    return cases(EvalSet.queries("en"), snrDb, kind, voices, perQuery);
  }

  /** Like {@link #cases(double, Speech.Noise, String[], int)} for other questions. */
  static List<Case> cases(
      List<EvalSet.Query> queries, double snrDb, Speech.Noise kind, String[] voices, int perQuery) {
    List<Case> cases = new ArrayList<>();
    int n = 0;
    for (EvalSet.Query q : queries) {
      if (q.expectedId() == null) {
        continue;
      }
      for (int v = 0; v < perQuery; v++) {
        String voice = voices[(n + v) % voices.length];
        double stretch = STRETCHES[(n + 2 * v) % STRETCHES.length];
        cases.add(
            new Case(
                n,
                q.expectedId(),
                q.text(),
                voice,
                stretch,
                Speech.telephone(Speech.flite(voice, q.text(), stretch), snrDb, n * 7L + v, kind)));
      }
      n++;
    }
    return cases;
  }

  /**
   * Returns WER, top-1 rate and the share of utterances the noise-adapted model decoded; adds every
   * utterance with its transcript to {@code heard}.
   */
  private static double[] run(String label, double snrDb, Speech.Noise kind, List<Heard> heard) {
    List<Case> cases = cases(snrDb, kind);
    assertThat(cases).hasSize(180);
    return run(label, cases, heard);
  }

  /**
   * Calls as they come in: each call is one caller (voice) asking {@link #QUESTIONS_PER_CALL}
   * questions of the set in a row, and the callers take turns. Every call starts on a decoder no
   * call has used, so the rows repeat from run to run. The utterances are the same as in {@code
   * cases}, in this order.
   */
  static List<List<Case>> calls(List<Case> cases) {
    Map<String, ArrayDeque<Case>> byVoice = new LinkedHashMap<>();
    for (Case c : cases) {
      byVoice.computeIfAbsent(c.voice(), v -> new ArrayDeque<>()).add(c);
    }
    List<List<Case>> calls = new ArrayList<>();
    boolean left = true;
    while (left) {
      left = false;
      for (ArrayDeque<Case> queue : byVoice.values()) {
        List<Case> call = new ArrayList<>();
        while (call.size() < QUESTIONS_PER_CALL && !queue.isEmpty()) {
          call.add(queue.poll());
        }
        if (!call.isEmpty()) {
          calls.add(call);
          left = true;
        }
      }
    }
    return calls;
  }

  private static double[] run(String label, List<Case> set, List<Heard> heard) {
    List<List<Case>> calls = calls(set);
    List<Case> cases = calls.stream().flatMap(List::stream).toList();
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
    long adaptedBefore = recognizer.utterancesDecoded(true);
    List<Transcript> transcripts = new ArrayList<>();
    for (List<Case> call : calls) {
      RecognitionSession session =
          Objects.requireNonNull(recognizer.open().block(Duration.ofSeconds(30)));
      for (Case c : call) {
        transcripts.add(
            Objects.requireNonNull(
                session.recognize(Speech.frames(c.audio())).block(Duration.ofSeconds(30))));
      }
      session.close();
    }
    long cpuNanos = bean.getProcessCpuTime() - cpuBefore;
    double adapted = (recognizer.utterancesDecoded(true) - adaptedBefore) / (double) cases.size();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      Transcript t = transcripts.get(i);
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
                "  miss [%s x%.2f] %s -> \"%s\" (%.2f)%n",
                c.voice(),
                c.stretch(),
                c.text(),
                t.text(),
                t.confidence()));
      }
      if (lands(c.expectedId(), c.text())) {
        top1Perfect++;
      }
      heard.add(new Heard(c, t));
    }
    dump(label, heard);

    double wer = (double) errors / referenceWords;
    double top1Rate = (double) top1 / cases.size();
    double perfectRate = (double) top1Perfect / cases.size();
    Arrays.sort(finalisationMicros);
    System.out.printf(
        Locale.ROOT,
        "[stt] %s: %d utterances (%.0f s audio), vocabulary %d, letter-to-sound %s%n"
            + "[stt] WER %.1f %%; top-1 from transcripts %.1f %% (from the true text %.1f %%)%n"
            + "[stt] noise-adapted model decoded %.1f %% of the utterances%n"
            + "[stt] CPU %.3f s per s of audio (whole JVM, one call at a time)%n"
            + "[stt] finalisation p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n%s",
        label,
        cases.size(),
        audioSeconds,
        recognizer.vocabularySize(),
        recognizer.guessedPronunciations(),
        100 * wer,
        100 * top1Rate,
        100 * perfectRate,
        100 * adapted,
        cpuNanos / 1e9 / audioSeconds,
        percentile(finalisationMicros, 0.50) / 1000.0,
        percentile(finalisationMicros, 0.95) / 1000.0,
        percentile(finalisationMicros, 0.99) / 1000.0,
        finalisationMicros[finalisationMicros.length - 1] / 1000.0,
        misses);
    return new double[] {wer, top1Rate, adapted};
  }

  record Heard(Case c, Transcript t) {}

  private static void dump(String label, List<Heard> heard) {
    StringBuilder sb = new StringBuilder();
    for (Heard h : heard) {
      StringBuilder words = new StringBuilder();
      for (WordHypothesis w : h.t().words()) {
        words
            .append(w.word())
            .append(':')
            .append(String.format(Locale.ROOT, "%.3f", w.confidence()))
            .append(' ');
      }
      sb.append(h.c().expectedId())
          .append('\t')
          .append(h.c().voice())
          .append('\t')
          .append(String.format(Locale.ROOT, "%.2f", h.c().stretch()))
          .append('\t')
          .append(h.c().text())
          .append('\t')
          .append(h.t().text())
          .append('\t')
          .append(String.format(Locale.ROOT, "%.3f", h.t().confidence()))
          .append('\t')
          .append(words.toString().strip())
          .append('\t')
          .append(String.join("|", h.t().alternatives()))
          .append('\n');
    }
    try {
      java.nio.file.Files.writeString(
          java.nio.file.Path.of("target", "stt-" + label.replace(' ', '-') + ".tsv"), sb);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
