package voicecall.engine.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import voicecall.tts.audio.PcmAudio;

/**
 * The fallback chain, the empty-on-failure wrapper and the per-utterance records, over recognisers
 * written here that report what they were fed (the real engines are in the ITs).
 */
class ChainedRecognizersTest {

  /** "heard N ms" from the frames it got, or a failure; subscribes late when asked to. */
  private static final class Counting implements Recognizer {
    private final String name;
    private final boolean fails;
    private final boolean late;
    final AtomicInteger closedSessions = new AtomicInteger();

    Counting(String name, boolean fails, boolean late) {
      this.name = name;
      this.fails = fails;
      this.late = late;
    }

    @Override
    public Mono<RecognitionSession> open() {
      return Mono.just(
          new RecognitionSession() {
            @Override
            public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
              Flux<PcmAudio> in = late ? utterance.subscribeOn(Schedulers.parallel()) : utterance;
              return in.map(PcmAudio::duration)
                  .reduce(Duration.ZERO, Duration::plus)
                  .map(
                      d -> {
                        if (fails) {
                          throw new RecognitionException(
                              RecognitionException.Reason.TIMEOUT, name + " timed out", null);
                        }
                        return new Transcript(
                            name + " heard " + d.toMillis(),
                            0,
                            0.5,
                            List.of(),
                            List.of(),
                            d,
                            Duration.ZERO);
                      });
            }

            @Override
            public void close() {
              closedSessions.incrementAndGet();
            }
          });
    }

    @Override
    public void close() {}
  }

  /** What {@link Counting} hears on a clean line, marked as heard over a noisy one. */
  private static final class OnNoisyLine implements Recognizer {
    private final Counting clean = new Counting("local", false, false);

    @Override
    public Mono<RecognitionSession> open() {
      return clean
          .open()
          .map(
              s ->
                  new RecognitionSession() {
                    @Override
                    public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
                      return s.recognize(utterance).map(Transcript::onNoisyLine);
                    }

                    @Override
                    public void close() {
                      s.close();
                    }
                  });
    }

    @Override
    public void close() {}
  }

  private static Flux<PcmAudio> utterance() {
    return Flux.fromIterable(
        PcmAudio.silence(Duration.ofMillis(600), 8000).frames(Duration.ofMillis(20)));
  }

  private static Mono<Transcript> once(Recognizer r) {
    return Mono.usingWhen(
        r.open(), s -> s.recognize(utterance()), s -> Mono.fromRunnable(s::close));
  }

  @Test
  void theFirstRecognisersTranscriptWinsWhenItSucceeds() {
    Counting remote = new Counting("remote", false, false);
    Counting local = new Counting("local", false, true);
    StepVerifier.create(once(Recognizers.withFallback(remote, local)))
        .assertNext(t -> assertThat(t.text()).isEqualTo("remote heard 600"))
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    assertThat(remote.closedSessions).hasValue(1);
    assertThat(local.closedSessions).hasValue(1);
  }

  @Test
  void theFallbackGetsEveryFrameEvenWhenItSubscribesLateAndTakesOverOnFailure() {
    Recognizer chain =
        Recognizers.withFallback(
            new Counting("remote", true, false), new Counting("local", false, true));
    StepVerifier.create(once(chain))
        .assertNext(t -> assertThat(t.text()).isEqualTo("local heard 600"))
        .expectComplete()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void whenBothFailTheFirstErrorComesOutWithTheSecondSuppressed() {
    Recognizer chain =
        Recognizers.withFallback(
            new Counting("remote", true, false), new Counting("local", true, false));
    StepVerifier.create(once(chain))
        .expectErrorSatisfies(
            e -> {
              assertThat(e).hasMessage("remote timed out");
              assertThat(e.getSuppressed())
                  .extracting(Throwable::getMessage)
                  .containsExactly("local timed out");
            })
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void aRecogniserThatCannotOpenLeavesTheOtherToServeAlone() {
    Recognizer broken =
        new Recognizer() {
          @Override
          public Mono<RecognitionSession> open() {
            return Mono.error(new IllegalStateException("recogniser at capacity"));
          }

          @Override
          public void close() {}
        };
    StepVerifier.create(once(Recognizers.withFallback(broken, new Counting("local", false, false))))
        .assertNext(t -> assertThat(t.text()).isEqualTo("local heard 600"))
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(Recognizers.withFallback(broken, broken).open())
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("neither"))
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void emptyOnFailureTurnsAFailureIntoAnEmptyTranscriptOfThatAudio() {
    StepVerifier.create(once(Recognizers.emptyOnFailure(new Counting("remote", true, false))))
        .assertNext(
            t -> {
              assertThat(t.isEmpty()).isTrue();
              assertThat(t.audio()).isEqualTo(Duration.ofMillis(600));
            })
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(once(Recognizers.emptyOnFailure(new Counting("local", false, false))))
        .assertNext(t -> assertThat(t.text()).isEqualTo("local heard 600"))
        .expectComplete()
        .verify(Duration.ofSeconds(10));
  }

  @Test
  void measuredReportsOneRecordPerUtteranceWithItsResult() {
    List<RecognitionRecord> records = new CopyOnWriteArrayList<>();
    Recognizer ok =
        Recognizers.measured(new Counting("local", false, false), "local", records::add);
    Recognizer bad =
        Recognizers.measured(new Counting("remote", true, false), "remote", records::add);
    StepVerifier.create(once(ok))
        .expectNextCount(1)
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(once(bad))
        .expectError(RecognitionException.class)
        .verify(Duration.ofSeconds(10));

    assertThat(records).hasSize(2);
    RecognitionRecord first = records.get(0);
    assertThat(first.engine()).isEqualTo("local");
    assertThat(first.result()).isEqualTo("ok");
    assertThat(first.succeeded()).isTrue();
    assertThat(first.audio()).isEqualTo(Duration.ofMillis(600));
    assertThat(first.transcriptChars()).isEqualTo("local heard 600".length());
    assertThat(first.confidence()).isEqualTo(0.5);
    assertThat(first.noisyLine()).isFalse();
    RecognitionRecord second = records.get(1);
    assertThat(second.engine()).isEqualTo("remote");
    assertThat(second.result()).isEqualTo("timeout");
    assertThat(second.succeeded()).isFalse();
    assertThat(second.error()).isEqualTo("remote timed out");
    assertThat(second.noisyLine()).isFalse();
  }

  @Test
  void measuredRecordsWhetherTheTranscriptCameOverANoisyLine() {
    List<RecognitionRecord> records = new CopyOnWriteArrayList<>();
    Recognizer noisy = Recognizers.measured(new OnNoisyLine(), "local", records::add);
    StepVerifier.create(once(noisy))
        .assertNext(t -> assertThat(t.noisyLine()).isTrue())
        .expectComplete()
        .verify(Duration.ofSeconds(10));
    StepVerifier.create(
            once(Recognizers.measured(new Counting("local", false, false), "local", records::add)))
        .expectNextCount(1)
        .expectComplete()
        .verify(Duration.ofSeconds(10));

    assertThat(records).extracting(RecognitionRecord::noisyLine).containsExactly(true, false);
    assertThat(records.get(0).result()).isEqualTo("ok");
    assertThat(records.get(0).transcriptChars()).isEqualTo("local heard 600".length());
  }

  @Test
  void aRecordIsValidated() {
    RecognitionRecord noisy =
        new RecognitionRecord(
            "pocketsphinx", "empty", Duration.ofSeconds(1), Duration.ZERO, 0, 0, null, true);
    assertThat(noisy.noisyLine()).isTrue();
    assertThat(noisy.succeeded()).isTrue();
    assertThatThrownBy(
            () ->
                new RecognitionRecord(
                    "pocketsphinx",
                    "timeout",
                    Duration.ofSeconds(1),
                    Duration.ZERO,
                    0,
                    0,
                    "timed out",
                    true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () ->
                new RecognitionRecord(
                    "remote", "ok", Duration.ofSeconds(1), Duration.ZERO, 3, 1.5, null, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new RecognitionRecord(
                    " ", "ok", Duration.ofSeconds(1), Duration.ZERO, 3, 0.5, null, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
