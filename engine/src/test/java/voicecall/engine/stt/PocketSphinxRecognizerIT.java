package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import voicecall.engine.testspeech.Flite;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.Language;
import voicecall.tts.audio.PcmAudio;

/** The recogniser's per-call sessions, decoder pool and model swap, with real PocketSphinx. */
class PocketSphinxRecognizerIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> QUESTIONS =
      List.of("how do I pay my bill", "can I use an eSIM", "my phone was stolen");

  private static final Entry HEDGEHOG =
      new Entry(
          "en-pets",
          List.of("Can I bring my hedgehog to the store?"),
          "Pets are welcome in every store.",
          List.of("hedgehog"),
          Language.EN);

  private static List<PcmAudio> audio = List.of();

  private final Path work = Path.of("target", "stt-work");

  @BeforeAll
  static void speak() {
    SpeechToolsInstalled.assume();
    List<PcmAudio> out = new ArrayList<>();
    for (int i = 0; i < QUESTIONS.size(); i++) {
      out.add(Speech.telephone(Speech.VOICES[i], QUESTIONS.get(i)));
    }
    audio = List.copyOf(out);
  }

  private PocketSphinxRecognizer recognizer(KnowledgeBase kb, int maxSessions) {
    return PocketSphinxRecognizer.create(
        kb,
        PocketSphinxRecognizer.SYSTEM_MODEL,
        new PocketSphinxRecognizer.Settings(maxSessions, 2, Duration.ofSeconds(5), 3, work));
  }

  private static KnowledgeBase faq() {
    return KnowledgeBase.build(1, EvalSet.allEntries());
  }

  private static RecognitionSession open(Recognizer r) {
    return Objects.requireNonNull(r.open().block(WAIT));
  }

  private static Transcript recognize(RecognitionSession s, PcmAudio a) {
    return Objects.requireNonNull(s.recognize(Speech.frames(a)).block(WAIT));
  }

  @Test
  void transcriptHasWordsTimesConfidencesAndAlternatives() {
    try (PocketSphinxRecognizer r = recognizer(faq(), 4)) {
      RecognitionSession s = open(r); // the decoder create built, with the settings' 3-best
      Transcript t = recognize(s, audio.get(0));
      assertThat(t.alternatives()).isNotEmpty();
      assertThat(t.text()).contains("pay", "bill");
      assertThat(t.words()).extracting(WordHypothesis::word).contains("pay", "bill");
      assertThat(String.join(" ", t.words().stream().map(WordHypothesis::word).toList()))
          .isEqualTo(t.text());
      for (int i = 1; i < t.words().size(); i++) {
        assertThat(t.words().get(i).start()).isGreaterThanOrEqualTo(t.words().get(i - 1).end());
      }
      assertThat(t.words().get(t.words().size() - 1).end()).isLessThanOrEqualTo(t.audio());
      assertThat(t.audio().minus(audio.get(0).duration()).abs()).isLessThan(Duration.ofMillis(20));
      assertThat(t.alternatives()).doesNotContain(t.text()).hasSizeLessThanOrEqualTo(2);
      s.close();
      s.close();
      assertThatThrownBy(() -> recognize(s, audio.get(0))).hasMessageContaining("closed");
    }
  }

  @Test
  void decoderArgumentsReachPocketSphinx() {
    PocketSphinxRecognizer.Settings base =
        new PocketSphinxRecognizer.Settings(2, 1, Duration.ofSeconds(5), 3, work);
    // PocketSphinx itself rejects a name it does not know, so the arguments are passed through.
    assertThatThrownBy(
            () ->
                PocketSphinxRecognizer.create(
                    faq(),
                    PocketSphinxRecognizer.SYSTEM_MODEL,
                    base.withDecoderArguments(List.of("-no_such_knob", "1"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-no_such_knob");
    // the noise-adapted model's decoders get their own list, checked at creation too
    assertThatThrownBy(
            () ->
                PocketSphinxRecognizer.create(
                    faq(),
                    PocketSphinxRecognizer.SYSTEM_MODEL,
                    base.withNoiseDecoderArguments(List.of("-no_such_noise_knob", "1"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-no_such_noise_knob");
    // PocketSphinx's own defaults (no search arguments) still recognise the question.
    try (PocketSphinxRecognizer r =
        PocketSphinxRecognizer.create(
            faq(), PocketSphinxRecognizer.SYSTEM_MODEL, base.withDecoderArguments(List.of()))) {
      RecognitionSession s = open(r);
      assertThat(recognize(s, audio.get(0)).text()).contains("pay", "bill");
      s.close();
    }
  }

  @Test
  void sixteenKilohertzInputAndSilence() {
    try (PocketSphinxRecognizer r = recognizer(faq(), 4)) {
      RecognitionSession s = open(r);
      PcmAudio wide = Speech.telephone("slt", "how do I pay my bill").resampleTo(16000);
      assertThat(recognize(s, wide).text()).contains("pay my bill");
      Transcript silence = recognize(s, PcmAudio.silence(Duration.ofSeconds(1), 8000));
      assertThat(silence.text()).isEmpty();
      assertThat(silence.words()).isEmpty();
      s.close();
    }
  }

  @Test
  void wideband16KilohertzSpeechIsRecognisedLikeTelephoneSpeech() {
    // flite's own 16 kHz output carries energy up to 8 kHz, which no phone line delivers
    PcmAudio wideband = Flite.speak("slt", "how do I pay my bill");
    assertThat(wideband.sampleRate()).isEqualTo(16000);
    try (PocketSphinxRecognizer r = recognizer(faq(), 4)) {
      RecognitionSession s = open(r);
      assertThat(recognize(s, wideband).text()).contains("pay my bill");
      s.close();
    }
  }

  @Test
  void concurrentCallsGetExactlyWhatOneCallAloneGets() {
    List<String> alone = new ArrayList<>();
    try (PocketSphinxRecognizer r = recognizer(faq(), 8)) {
      RecognitionSession s = open(r);
      for (PcmAudio a : audio) {
        alone.add(recognize(s, a).text());
      }
      s.close();
    }
    try (PocketSphinxRecognizer r = recognizer(faq(), 8)) {
      List<RecognitionSession> sessions = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        sessions.add(open(r)); // six fresh decoders, as the one above was
      }
      List<List<String>> results =
          Flux.fromIterable(sessions)
              .flatMap(
                  s ->
                      Flux.fromIterable(audio)
                          .concatMap(a -> s.recognize(Speech.frames(a)))
                          .map(Transcript::text)
                          .collectList())
              .collectList()
              .block(WAIT);
      assertThat(results).hasSize(6).allSatisfy(texts -> assertThat(texts).isEqualTo(alone));
      sessions.forEach(RecognitionSession::close);
    }
    assertThat(alone.get(0)).contains("bill");
  }

  @Test
  void aBadFrameEndsOnlyThatCall() {
    try (PocketSphinxRecognizer r = recognizer(faq(), 4)) {
      RecognitionSession bad = open(r);
      RecognitionSession good = open(r);
      Flux<PcmAudio> mixed =
          Flux.just(
              PcmAudio.silence(Duration.ofMillis(20), 8000),
              PcmAudio.silence(Duration.ofMillis(20), 16000));
      Mono<Transcript> failing = bad.recognize(mixed);
      Mono<Transcript> fine = good.recognize(Speech.frames(audio.get(0)));
      assertThatThrownBy(() -> failing.block(WAIT))
          .hasMessageContaining("16000 Hz in an utterance at 8000 Hz");
      assertThat(Objects.requireNonNull(fine.block(WAIT)).text()).contains("bill");
      assertThatThrownBy(() -> recognize(bad, audio.get(0))).hasMessageContaining("closed");
      assertThat(recognize(good, audio.get(1)).text()).isNotEmpty();
      assertThatThrownBy(
              () ->
                  open(r)
                      .recognize(Flux.just(PcmAudio.silence(Duration.ofMillis(20), 44100)))
                      .block(WAIT))
          .hasMessageContaining("8000 or 16000 Hz");
      bad.close();
      good.close();
    }
  }

  @Test
  void oneUtteranceAtATimeAndACancelledOneLeavesTheSessionUsable() {
    try (PocketSphinxRecognizer r = recognizer(faq(), 4)) {
      RecognitionSession s = open(r);
      Sinks.Many<PcmAudio> live = Sinks.many().unicast().onBackpressureBuffer();
      var pending = s.recognize(live.asFlux()).subscribe();
      live.tryEmitNext(PcmAudio.silence(Duration.ofMillis(20), 8000));
      assertThatThrownBy(() -> recognize(s, audio.get(0)))
          .hasMessageContaining("still being recognised");
      pending.dispose();
      assertThat(recognize(s, audio.get(0)).text()).contains("bill");
      s.close();
    }
  }

  @Test
  void capacityIsBoundedAndClosedSessionsFreeTheirPlace() {
    try (PocketSphinxRecognizer r = recognizer(faq(), 2)) {
      RecognitionSession a = open(r);
      RecognitionSession b = open(r);
      assertThatThrownBy(() -> open(r)).hasMessageContaining("at capacity: 2");
      a.close();
      RecognitionSession c = open(r);
      assertThat(recognize(c, audio.get(2)).text()).contains("stolen");
      b.close();
      c.close();
    }
  }

  @Test
  void aNewKnowledgeVersionReachesNewCallsWhileCallsInProgressKeepTheirModel() {
    List<Entry> entries = new ArrayList<>(EvalSet.allEntries());
    try (PocketSphinxRecognizer r = recognizer(KnowledgeBase.build(1, entries), 4)) {
      PcmAudio hedgehog = Speech.telephone("slt", "can I bring my hedgehog to the store");
      RecognitionSession before = open(r);
      assertThat(recognize(before, hedgehog).text()).doesNotContain("hedgehog");

      entries.add(HEDGEHOG);
      assertThat(r.update(KnowledgeBase.build(2, entries)).block(WAIT)).isEqualTo(2L);
      assertThat(r.version()).isEqualTo(2);

      assertThat(recognize(before, hedgehog).text()).doesNotContain("hedgehog");
      RecognitionSession after = open(r);
      assertThat(recognize(after, hedgehog).text()).contains("hedgehog");
      before.close();
      after.close();
    }
  }

  private PocketSphinxRecognizer recognizer(
      KnowledgeBase kb, int maxSessions, boolean noiseAdapted) {
    return PocketSphinxRecognizer.create(
        kb,
        PocketSphinxRecognizer.SYSTEM_MODEL,
        new PocketSphinxRecognizer.Settings(maxSessions, 2, Duration.ofSeconds(5), 3, work)
            .withNoiseAdapted(
                noiseAdapted, PocketSphinxRecognizer.Settings.DEFAULT_NOISY_LINE_DBFS));
  }

  private static PcmAudio noisy(int i) {
    return Speech.telephone(Speech.VOICES[i], QUESTIONS.get(i), 10, 77L + i);
  }

  /**
   * Waits (at most 10 s) for the pools to hold a number of spares: they are refilled in the
   * background.
   */
  private static void awaitSpares(PocketSphinxRecognizer r, int plain, int noiseAdapted)
      throws InterruptedException {
    for (int i = 0;
        i < 200 && !Arrays.equals(r.spareDecoders(), new int[] {plain, noiseAdapted});
        i++) {
      Thread.sleep(50);
    }
    assertThat(r.spareDecoders()).containsExactly(plain, noiseAdapted);
  }

  /**
   * Waits (at most 10 s) until the recogniser has {@code count} native decoders: a closed session
   * frees its decoder on its lane.
   */
  private static void awaitLive(PocketSphinxRecognizer r, int count) throws InterruptedException {
    for (int i = 0; i < 200 && r.liveDecoders() != count; i++) {
      Thread.sleep(50);
    }
    assertThat(r.liveDecoders()).isEqualTo(count);
  }

  /** Two spares of each model, the pools' size once refilled. */
  private static final int SPARES = 2 * LanguagePack.SPARES_PER_MODEL;

  @Test
  void aNoisyLineIsDecodedWithTheNoiseAdaptedModelAndACleanOneWithThePlainModel() {
    try (PocketSphinxRecognizer r = recognizer(faq(), 4, true)) {
      RecognitionSession clean = open(r);
      Transcript quiet = recognize(clean, audio.get(0));
      assertThat(quiet.text()).contains("bill");
      // the policy's stricter threshold for direct answers follows this mark
      assertThat(quiet.noisyLine()).isFalse();
      assertThat(r.utterancesDecoded(false)).isEqualTo(1);
      assertThat(r.utterancesDecoded(true)).isZero();

      RecognitionSession noisyCall = open(r);
      assertThat(recognize(noisyCall, noisy(0)).noisyLine()).isTrue();
      assertThat(recognize(noisyCall, noisy(2)).noisyLine()).isTrue();
      assertThat(r.utterancesDecoded(true)).isEqualTo(2);
      assertThat(r.utterancesDecoded(false)).isEqualTo(1);
      clean.close();
      noisyCall.close();
    }
    // switched off, the same noisy line stays on the plain model
    try (PocketSphinxRecognizer off = recognizer(faq(), 4, false)) {
      RecognitionSession noisyCall = open(off);
      assertThat(recognize(noisyCall, noisy(0)).noisyLine()).isFalse();
      assertThat(off.utterancesDecoded(false)).isEqualTo(1);
      assertThat(off.utterancesDecoded(true)).isZero();
      noisyCall.close();
    }
  }

  @Test
  void aCallHearsTheSameAudioAlikeWhateverCallsCameBefore() throws InterruptedException {
    try (PocketSphinxRecognizer r = recognizer(faq(), 4, true)) {
      awaitLive(r, SPARES);
      RecognitionSession first = open(r);
      Transcript before = recognize(first, noisy(0));
      first.close();
      awaitLive(r, SPARES); // its decoders are freed, not pooled
      RecognitionSession other = open(r);
      recognize(other, noisy(1));
      recognize(other, noisy(2));
      recognize(other, audio.get(1));
      other.close();
      awaitLive(r, SPARES);
      RecognitionSession again = open(r);
      Transcript after = recognize(again, noisy(0));
      again.close();
      // Decoders used to go back to the pool: this call then got the decoders of the call before,
      // whose live cepstral mean had followed that call's line, and the same recording scored
      // differently (and on /api/v1/recognise came back as another transcript).
      assertThat(after.score()).isEqualTo(before.score());
      assertThat(after.text()).isNotEmpty().isEqualTo(before.text());
      assertThat(after.words()).isEqualTo(before.words());
      assertThat(after.alternatives()).isEqualTo(before.alternatives());
    }
  }

  @Test
  void changingModelFreesTheHeldDecoderAndTakesASpareOfTheOtherModel() throws InterruptedException {
    List<Entry> entries = new ArrayList<>(EvalSet.allEntries());
    try (PocketSphinxRecognizer r = recognizer(KnowledgeBase.build(1, entries), 2, true)) {
      // create built one decoder of each model; the second spare of each follows
      awaitSpares(r, 2, 2);
      awaitLive(r, SPARES);
      RecognitionSession a = open(r); // takes a plain spare; another is built
      awaitSpares(r, 2, 2);
      awaitLive(r, SPARES + 1);
      recognize(a, noisy(0)); // frees its plain decoder, takes an adapted spare
      awaitSpares(r, 2, 2);
      awaitLive(r, SPARES + 1);
      RecognitionSession b = open(r);
      awaitLive(r, SPARES + 2);
      assertThatThrownBy(() -> open(r)).hasMessageContaining("at capacity: 2");
      a.close();
      awaitLive(r, SPARES + 1);
      assertThat(recognize(b, noisy(2)).text()).isNotEmpty();
      b.close();
      awaitLive(r, SPARES);
      awaitSpares(r, 2, 2);

      // a session that fails frees its decoder too
      RecognitionSession bad = open(r);
      Flux<PcmAudio> mixed =
          Flux.concat(
              Speech.frames(noisy(1)), Flux.just(PcmAudio.silence(Duration.ofMillis(20), 16000)));
      assertThatThrownBy(() -> bad.recognize(mixed).block(WAIT))
          .hasMessageContaining("16000 Hz in an utterance at 8000 Hz");
      bad.close();
      awaitLive(r, SPARES);

      // a call open across a knowledge update keeps the old version's model: its next decoder is
      // built for that version (whose pools are retired), and freed with the call
      RecognitionSession across = open(r);
      entries.add(HEDGEHOG);
      assertThat(r.update(KnowledgeBase.build(2, entries)).block(WAIT)).isEqualTo(2L);
      awaitSpares(r, 2, 2);
      awaitLive(r, SPARES + 1);
      assertThat(recognize(across, noisy(0)).text()).isNotEmpty();
      awaitLive(r, SPARES + 1);
      across.close();
      awaitLive(r, SPARES);
    }
  }

  @Test
  void takingASpareBuildsTheNextOffTheDecodingLanes() throws InterruptedException {
    try (PocketSphinxRecognizer r = recognizer(faq(), 4, true)) {
      awaitSpares(r, 2, 2);
      List<Boolean> builtOnALane = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger adaptedBuilds = new AtomicInteger();
      r.beforeEachBuild(
          noiseAdapted -> {
            builtOnALane.add(DecodingThreads.onLane());
            if (noiseAdapted) {
              adaptedBuilds.incrementAndGet();
            }
          });
      RecognitionSession a = open(r);
      recognize(a, noisy(0)); // takes a noise-adapted spare
      awaitSpares(r, 2, 2); // the next is ready for the next noisy call
      RecognitionSession b = open(r);
      recognize(b, noisy(1));
      awaitSpares(r, 2, 2);
      assertThat(adaptedBuilds).hasValue(2);
      assertThat(r.utterancesDecoded(true)).isEqualTo(2);
      assertThat(builtOnALane).hasSize(4).containsOnly(false); // and the two plain spares
      a.close();
      b.close();
    }
  }

  @Test
  void aSessionThatFindsNoNoiseAdaptedSpareWaitsForOneBuiltOffItsLane() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Boolean> builtOnALane = Collections.synchronizedList(new ArrayList<>());
    // three threads: the two held-back builds below take one each, and other calls go on
    PocketSphinxRecognizer.Settings settings =
        new PocketSphinxRecognizer.Settings(5, 3, WAIT, 3, work);
    String fresh; // what a noise-adapted decoder hears first
    try (PocketSphinxRecognizer r =
        PocketSphinxRecognizer.create(faq(), PocketSphinxRecognizer.SYSTEM_MODEL, settings)) {
      RecognitionSession s = open(r);
      fresh = recognize(s, noisy(2)).text();
      s.close();
    }
    try (PocketSphinxRecognizer r =
        PocketSphinxRecognizer.create(faq(), PocketSphinxRecognizer.SYSTEM_MODEL, settings)) {
      awaitSpares(r, 2, 2);
      r.beforeEachBuild(
          noiseAdapted -> {
            builtOnALane.add(DecodingThreads.onLane());
            if (noiseAdapted) {
              try {
                gate.await(); // noise-adapted decoders are built only once the gate opens
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      RecognitionSession a = open(r);
      RecognitionSession b = open(r);
      RecognitionSession c = open(r);
      RecognitionSession d = open(r);
      // a and b take the two adapted spares (the refill is held at the gate)
      assertThat(recognize(a, noisy(0)).text()).isNotEmpty();
      assertThat(recognize(b, noisy(1)).text()).isNotEmpty();
      // c must change to the noise-adapted model and no spare is ready: its decoder is built (held
      // at the gate) while c's audio waits, and c's end of speech waits for it
      CompletableFuture<Transcript> waiting = c.recognize(Speech.frames(noisy(2))).toFuture();
      // other calls' frames are decoded meanwhile
      assertThat(recognize(d, audio.get(1)).text()).isNotEmpty();
      assertThat(waiting).isNotDone();
      gate.countDown();
      Transcript t = waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      // the held-back audio reached the new decoder whole and in order
      assertThat(t.text()).isNotEmpty().isEqualTo(fresh);
      assertThat(r.utterancesDecoded(true)).isEqualTo(3);
      assertThat(r.utterancesDecoded(false)).isEqualTo(1);
      assertThat(builtOnALane).isNotEmpty().containsOnly(false);
      a.close();
      b.close();
      c.close();
      d.close();
    }
  }

  @Test
  void aSpareFinishedForAReplacedVersionOrAfterCloseIsFreed() throws Exception {
    List<Entry> entries = new ArrayList<>(EvalSet.allEntries());
    for (boolean closeInstead : new boolean[] {false, true}) {
      CountDownLatch gate = new CountDownLatch(1);
      AtomicBoolean holdNextAdapted = new AtomicBoolean(true);
      PocketSphinxRecognizer r = recognizer(KnowledgeBase.build(1, entries), 4, true);
      awaitSpares(r, 2, 2);
      r.beforeEachBuild(
          noiseAdapted -> {
            if (noiseAdapted && holdNextAdapted.getAndSet(false)) {
              try {
                gate.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      RecognitionSession a = open(r);
      recognize(a, noisy(0)); // takes an adapted spare: the next spare is held back
      a.close();
      awaitSpares(r, 2, 1); // a's decoder is freed; the spare is still being built
      awaitLive(r, SPARES - 1);
      if (closeInstead) {
        r.close();
      } else {
        assertThat(r.update(KnowledgeBase.build(2, entries)).block(WAIT)).isEqualTo(2L);
        awaitSpares(r, 2, 2);
      }
      gate.countDown(); // the spare of a version no longer in use, or of a closed recogniser
      if (!closeInstead) {
        awaitLive(r, SPARES); // not in the new version's pool
        awaitSpares(r, 2, 2);
        r.close();
      }
      awaitLive(r, 0); // every decoder freed, the late spare included
    }
  }

  @Test
  void callsFreeTheirDecodersAndEachModelKeepsTwoSpares() throws InterruptedException {
    try (PocketSphinxRecognizer r = recognizer(faq(), 6, true)) {
      AtomicInteger builds = new AtomicInteger();
      awaitSpares(r, 2, 2);
      r.beforeEachBuild(noiseAdapted -> builds.incrementAndGet());
      List<RecognitionSession> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(open(r));
      }
      for (int i = 0; i < calls.size(); i++) {
        recognize(calls.get(i), noisy(i % QUESTIONS.size())); // each frees its plain one
      }
      awaitSpares(r, 2, 2);
      awaitLive(r, calls.size() + SPARES);
      calls.forEach(RecognitionSession::close);
      awaitLive(r, SPARES);
      awaitSpares(r, 2, 2);
      // every call took a plain and an adapted decoder no call had used, and each was replaced
      assertThat(builds).hasValue(2 * calls.size());
    }
  }
}
