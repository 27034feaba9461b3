package voicecall.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import voicecall.tts.audio.PcmAudio;

class FallbackSynthesizerTest {

  private static final Voice EN = Voice.of(Language.ENGLISH);
  private static final String TEXT = "Your bill is ready.";

  /** A speech-like test signal: a 150 Hz tone, 1.5 s at 16 kHz, with a syllable rhythm. */
  private static final PcmAudio SPEECH = speechLike();

  private static PcmAudio speechLike() {
    short[] samples = new short[24_000];
    for (int i = 0; i < samples.length; i++) {
      double envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * i / 16_000.0);
      samples[i] = (short) (9_000 * envelope * Math.sin(2 * Math.PI * 150 * i / 16_000.0));
    }
    return PcmAudio.of(samples, 16_000);
  }

  private static Synthesizer fake(String name, BiFunction<String, Voice, Mono<PcmAudio>> how) {
    return new Synthesizer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean supports(Language language) {
        return true;
      }

      @Override
      public Mono<PcmAudio> synthesize(String text, Voice voice) {
        return how.apply(text, voice);
      }
    };
  }

  private static final Synthesizer GOOD = fake("good", (t, v) -> Mono.just(SPEECH));

  private static Synthesizer chain(Synthesizer... synthesizers) {
    return Synthesizers.withFallback(Duration.ofSeconds(2), List.of(synthesizers));
  }

  @Test
  void aHangingSynthesiserTimesOutAndIsCancelledThenTheNextSpeaks() {
    AtomicBoolean cancelled = new AtomicBoolean();
    Synthesizer hangs =
        fake("hangs", (t, v) -> Mono.<PcmAudio>never().doOnCancel(() -> cancelled.set(true)));
    StepVerifier.withVirtualTime(() -> chain(hangs, GOOD).synthesize(TEXT, EN))
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(1_999))
        .thenAwait(Duration.ofMillis(1))
        .expectNext(SPEECH)
        .verifyComplete();
    assertThat(cancelled).isTrue();
  }

  @Test
  void aCrashingSynthesiserFallsBack() {
    Synthesizer throwsOutright =
        fake(
            "crashes",
            (t, v) -> {
              throw new IllegalStateException("native library crashed");
            });
    Synthesizer errors = fake("errors", (t, v) -> Mono.error(new RuntimeException("boom")));
    StepVerifier.create(chain(throwsOutright, errors, GOOD).synthesize(TEXT, EN))
        .expectNext(SPEECH)
        .verifyComplete();
  }

  @Test
  void garbageSilenceAndTooShortAudioFallBack() {
    short[] noise = new short[24_000];
    Random random = new Random(7);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (short) (random.nextGaussian() * 8_000);
    }
    Synthesizer garbage = fake("garbage", (t, v) -> Mono.just(PcmAudio.of(noise, 16_000)));
    Synthesizer silent =
        fake("silent", (t, v) -> Mono.just(PcmAudio.silence(Duration.ofSeconds(2), 16_000)));
    Synthesizer tooShort =
        fake("short", (t, v) -> Mono.just(PcmAudio.of(new short[] {9000, -9000, 9000}, 16_000)));
    Synthesizer runaway =
        fake("runaway", (t, v) -> Mono.just(PcmAudio.silence(Duration.ofMinutes(2), 8_000)));
    Synthesizer empty = fake("empty", (t, v) -> Mono.empty());

    StepVerifier.create(chain(garbage, silent, tooShort, runaway, GOOD).synthesize(TEXT, EN))
        .expectNext(SPEECH)
        .verifyComplete();

    StepVerifier.create(chain(garbage, silent, tooShort, runaway, empty).synthesize(TEXT, EN))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(SynthesisException.class)
                    .hasMessageContaining("no synthesiser could speak 'Your bill is ready.'")
                    .hasMessageContaining("garbage: audio is noise")
                    .hasMessageContaining("silent: audio is silent")
                    .hasMessageContaining("short: audio too short")
                    .hasMessageContaining("runaway: audio too long")
                    .hasMessageContaining("empty: returned no audio"))
        .verify();
  }

  @Test
  void symbolsOnlyAreRefusedBeforeAnySynthesis() {
    AtomicBoolean called = new AtomicBoolean();
    Synthesizer watched = fake("watched", (t, v) -> Mono.fromRunnable(() -> called.set(true)));
    StepVerifier.create(chain(watched).synthesize("?!…", EN))
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(SynthesisException.class)
                    .hasMessageContaining("nothing to say"))
        .verify();
    assertThat(called).isFalse();
  }
}
