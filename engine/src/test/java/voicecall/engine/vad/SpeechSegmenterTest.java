package voicecall.engine.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static voicecall.engine.vad.ScriptedDetector.windows;
import static voicecall.engine.vad.TestAudio.millis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import voicecall.engine.vad.SpeechEvent.EndReason;
import voicecall.engine.vad.SpeechEvent.Ended;
import voicecall.engine.vad.SpeechEvent.Rejected;
import voicecall.engine.vad.SpeechEvent.Started;
import voicecall.tts.audio.PcmAudio;

/** The end-of-speech state machine, window by window, with scripted probabilities. */
class SpeechSegmenterTest {

  private final ScriptedDetector detector = new ScriptedDetector();
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  private List<SpeechEvent> run(SegmenterConfig config, PcmAudio... parts) {
    return run(config, TestAudio.frames(TestAudio.join(parts), 160));
  }

  private List<SpeechEvent> run(SegmenterConfig config, Flux<PcmAudio> frames) {
    return SpeechSegmenter.create(detector, config, clock)
        .segment(frames)
        .collectList()
        .blockOptional()
        .orElseThrow();
  }

  private static Duration windowsTime(int windows) {
    return millis(32L * windows);
  }

  @Test
  void speechStartsAfterTheMinimumAndEndsAfterTheTrailingSilence() {
    // defaults: start >= 0.5 for 3 windows (96 ms), end after 11 windows (352 ms) below 0.35
    List<SpeechEvent> events =
        run(SegmenterConfig.defaults(), windows(10, 0.02), windows(30, 0.9), windows(20, 0.05));

    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isEqualTo(new Started(windowsTime(10), Instant.EPOCH));
    Ended ended = (Ended) events.get(1);
    assertThat(ended.start()).isEqualTo(windowsTime(10));
    assertThat(ended.end()).isEqualTo(windowsTime(40));
    assertThat(ended.reason()).isEqualTo(EndReason.SILENCE);
    assertThat(ended.length()).isEqualTo(windowsTime(30));
    // pre-roll (8 windows) + speech (30) + trailing silence (11)
    assertThat(ended.audio().length()).isEqualTo((8 + 30 + 11) * 256);
    assertThat(ended.audio().sample(8 * 256)).isEqualTo((short) 9000);
    assertThat(ended.audio().sample(8 * 256 - 1)).isEqualTo((short) 200);
  }

  @Test
  void speechShorterThanTheMinimumSpeechNeverStarts() {
    assertThat(
            run(
                SegmenterConfig.defaults(),
                windows(5, 0),
                windows(2, 0.99),
                windows(1, 0.1),
                windows(2, 0.99),
                windows(20, 0)))
        .isEmpty();
  }

  @Test
  void hysteresisKeepsSpeechBetweenTheThresholdsButDoesNotStartIt() {
    // 0.4 is below the start threshold (0.5) and above the end threshold (0.35)
    assertThat(run(SegmenterConfig.defaults(), windows(40, 0.4))).isEmpty();

    List<SpeechEvent> events =
        run(
            SegmenterConfig.defaults(),
            windows(3, 0.8),
            windows(20, 0.4),
            windows(10, 0.3),
            windows(2, 0.6),
            windows(11, 0.3));
    assertThat(events).hasSize(2);
    Ended ended = (Ended) events.get(1);
    assertThat(ended.start()).isEqualTo(Duration.ZERO);
    assertThat(ended.end()).isEqualTo(windowsTime(3 + 20 + 10 + 2));
  }

  @Test
  void aTooShortUtteranceIsRejected() {
    // 4 windows = 128 ms of speech: started (>= 96 ms) but shorter than 200 ms
    List<SpeechEvent> events =
        run(SegmenterConfig.defaults(), windows(2, 0), windows(4, 0.9), windows(12, 0));
    assertThat(events)
        .containsExactly(
            new Started(windowsTime(2), Instant.EPOCH),
            new Rejected(windowsTime(2), windowsTime(6), Instant.EPOCH));
  }

  @Test
  void anOverLongUtteranceIsCutAtTheMaximumAndSpeechGoesOn() {
    SegmenterConfig config = SegmenterConfig.defaults().withMaxUtterance(Duration.ofMillis(3200));
    List<SpeechEvent> events = run(config, windows(220, 0.95), windows(12, 0));

    assertThat(events).hasSize(6);
    Ended first = (Ended) events.get(1);
    assertThat(first.reason()).isEqualTo(EndReason.MAX_LENGTH);
    assertThat(first.start()).isEqualTo(Duration.ZERO);
    assertThat(first.end()).isEqualTo(millis(3200));
    // the speech goes on: the next piece starts right at the cut, so no audio is lost or repeated
    assertThat(events.get(2)).isEqualTo(new Started(windowsTime(100), Instant.EPOCH));
    Ended second = (Ended) events.get(3);
    assertThat(second.start()).isEqualTo(windowsTime(100));
    assertThat(second.end()).isEqualTo(windowsTime(200));
    assertThat(second.reason()).isEqualTo(EndReason.MAX_LENGTH);
    assertThat(second.audio().length()).isEqualTo(100 * 256);
    Ended last = (Ended) events.get(5);
    assertThat(last.reason()).isEqualTo(EndReason.SILENCE);
    assertThat(last.start()).isEqualTo(windowsTime(200));
    assertThat(last.end()).isEqualTo(windowsTime(220));
  }

  @Test
  void speechStillGoingWhenTheStreamEndsEndsWithTheStream() {
    List<SpeechEvent> events = run(SegmenterConfig.defaults(), windows(3, 0), windows(20, 0.9));
    Ended ended = (Ended) events.get(1);
    assertThat(ended.reason()).isEqualTo(EndReason.STREAM_END);
    assertThat(ended.end()).isEqualTo(windowsTime(23));
  }

  @Test
  void theTrailingSilenceDecidesWhetherAPauseSplitsAnUtterance() {
    PcmAudio[] audio = {windows(10, 0.9), windows(13, 0.1), windows(10, 0.9), windows(30, 0)};
    // 13 windows = 416 ms pause
    assertThat(run(SegmenterConfig.defaults(), audio).stream().filter(Ended.class::isInstance))
        .hasSize(2);
    assertThat(
            run(SegmenterConfig.defaults().withTrailingSilence(Duration.ofMillis(700)), audio)
                .stream()
                .filter(Ended.class::isInstance))
        .hasSize(1);
  }

  @Test
  void framesOfAnySizeGiveTheSameEvents() {
    PcmAudio audio =
        TestAudio.join(windows(7, 0), windows(25, 0.9), windows(15, 0), windows(9, 0.8));
    List<SpeechEvent> reference = run(SegmenterConfig.defaults(), audio);
    assertThat(reference).hasSize(4);
    for (int[] sizes : new int[][] {{160}, {240}, {7}, {1000, 3, 511}, {audio.length()}}) {
      assertThat(run(SegmenterConfig.defaults(), TestAudio.frames(audio, sizes)))
          .as("frames of %s samples", java.util.Arrays.toString(sizes))
          .isEqualTo(reference);
    }
  }

  @Test
  void theEndedMarkIsTheClockAtTheDecision() {
    Sinks.Many<PcmAudio> frames = Sinks.many().unicast().onBackpressureBuffer();
    SpeechSegmenter segmenter = SpeechSegmenter.create(detector, SegmenterConfig.defaults(), clock);

    StepVerifier.create(segmenter.segment(frames.asFlux()))
        .then(() -> clock.advanceTimeBy(Duration.ofSeconds(100)))
        .then(() -> frames.tryEmitNext(windows(8, 0.9)))
        .assertNext(
            event ->
                assertThat(event).isEqualTo(new Started(Duration.ZERO, Instant.ofEpochSecond(100))))
        .then(() -> clock.advanceTimeBy(Duration.ofMillis(340)))
        .then(() -> frames.tryEmitNext(windows(10, 0)))
        .then(() -> clock.advanceTimeBy(Duration.ofMillis(32)))
        .then(() -> frames.tryEmitNext(windows(1, 0)))
        .assertNext(
            event -> {
              Ended ended = (Ended) event;
              assertThat(ended.end()).isEqualTo(windowsTime(8));
              assertThat(ended.detectedAt()).isEqualTo(Instant.ofEpochMilli(100_372));
            })
        .then(frames::tryEmitComplete)
        .verifyComplete();
  }

  @Test
  void aFrameAtAnotherRateOrAnUnsupportedRateFailsOnlyThatStream() {
    SpeechSegmenter segmenter = SpeechSegmenter.create(detector, SegmenterConfig.defaults(), clock);
    StepVerifier.create(
            segmenter.segment(Flux.just(windows(2, 0), PcmAudio.silence(millis(20), 16000))))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("frame at 16000 Hz in a stream at 8000 Hz"))
        .verify();
    StepVerifier.create(segmenter.segment(Flux.just(PcmAudio.silence(millis(20), 11025))))
        .expectErrorMessage(
            "Silero VAD takes 8000 or 16000 Hz audio, got 11025 Hz (resample first)")
        .verify();
    StepVerifier.create(segmenter.segment(Flux.just(windows(40, 0.9))).take(1))
        .expectNextCount(1)
        .verifyComplete();
    assertThat(detector.closed.get()).isEqualTo(detector.opened.get()).isPositive();
  }

  @Test
  void aFailingDetectorEndsOnlyItsOwnStream() {
    ScriptedDetector failing = new ScriptedDetector(Schedulers.immediate(), 4242);
    SpeechSegmenter segmenter = SpeechSegmenter.create(failing, SegmenterConfig.defaults(), clock);
    PcmAudio healthy = TestAudio.join(windows(20, 0.9), windows(12, 0));
    PcmAudio broken = TestAudio.join(windows(5, 0.9), windows(1, 0.4242));

    StepVerifier.create(
            Flux.merge(
                segmenter.segment(TestAudio.frames(healthy, 160)).materialize(),
                segmenter.segment(TestAudio.frames(broken, 160)).materialize()))
        .recordWith(java.util.ArrayList::new)
        .thenConsumeWhile(signal -> true)
        .consumeRecordedWith(
            signals -> {
              assertThat(signals.stream().filter(s -> s.isOnError())).hasSize(1);
              assertThat(signals.stream().filter(s -> s.isOnComplete())).hasSize(1);
              assertThat(signals.stream().filter(s -> s.get() instanceof Ended)).hasSize(1);
            })
        .verifyComplete();
    assertThat(failing.closed.get()).isEqualTo(failing.opened.get()).isEqualTo(2);
  }

  @Test
  void settingsAreValidated() {
    SegmenterConfig d = SegmenterConfig.defaults();
    assertThatThrownBy(() -> d.withThresholds(0.5, 0.6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endThreshold");
    assertThatThrownBy(() -> d.withThresholds(1.0, 0.5)).hasMessageContaining("startThreshold");
    assertThatThrownBy(() -> d.withTrailingSilence(Duration.ZERO))
        .hasMessageContaining("trailingSilence");
    assertThatThrownBy(() -> d.withMaxUtterance(Duration.ofMillis(100)))
        .hasMessageContaining("maxUtterance");
    assertThatThrownBy(() -> d.withMaxUtterance(Duration.ofMinutes(6)))
        .hasMessageContaining("at most 5 min");
  }
}
