package voicecall.engine.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.call.Call;
import voicecall.engine.call.ClockMetrics;
import voicecall.engine.call.FrameClock;
import voicecall.engine.call.HangupCause;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Transcript;
import voicecall.engine.vad.SpeechEvent;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.tts.audio.PcmAudio;

/**
 * The dialogue's side of recognition while the caller speaks, with scripted segmenter events in
 * virtual time and a session that, like the real ones, refuses a second utterance while one is
 * being recognised and takes 100 ms to finalise.
 */
class ConversationStreamingTest {

  private static final Duration FINALISATION = Duration.ofMillis(100);

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final FrameClock clock = FrameClock.start(time, ClockMetrics.NONE);
  private final Call call = Call.open("s1", "en", 8000, time);
  private final Sinks.Many<SpeechEvent> speech = Sinks.many().multicast().onBackpressureBuffer();
  private final List<Turn> turns = new CopyOnWriteArrayList<>();
  private final List<String> spoken = new CopyOnWriteArrayList<>();

  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicLong received = new AtomicLong();
  private final AtomicInteger recognitions = new AtomicInteger();

  /** Hears the word numbered by the utterance's first sample; counts what it was fed. */
  private final Recognizer recognizer =
      new Recognizer() {
        @Override
        public Mono<RecognitionSession> open() {
          return Mono.just(
              new RecognitionSession() {
                @Override
                public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
                  return Mono.defer(
                      () -> {
                        recognitions.incrementAndGet();
                        if (!busy.compareAndSet(false, true)) {
                          refused.incrementAndGet();
                          return Mono.error(new IllegalStateException("still being recognised"));
                        }
                        AtomicInteger first = new AtomicInteger(-1);
                        return utterance
                            .doOnNext(
                                a -> {
                                  first.compareAndSet(-1, a.sample(0));
                                  received.addAndGet(a.length());
                                })
                            .then(Mono.delay(FINALISATION, time))
                            .map(x -> transcript("word " + first.get()))
                            .doOnEach(
                                s -> {
                                  if (!s.isOnSubscribe()) {
                                    busy.set(false);
                                  }
                                })
                            .doOnNext(t -> finished.incrementAndGet())
                            .doOnCancel(
                                () -> {
                                  busy.set(false);
                                  cancelled.incrementAndGet();
                                });
                      });
                }

                @Override
                public void close() {}
              });
        }

        @Override
        public void close() {}
      };

  private final Conversation conversation =
      Conversation.create(
          frames -> speech.asFlux().mergeWith(frames.thenMany(Flux.<SpeechEvent>empty())),
          recognizer,
          t ->
              Mono.just(
                  new Answer(Decision.ANSWER, "e1", "About " + t.text() + ".", 0.9, List.of(), 1)),
          id -> Optional.empty(),
          text -> {
            spoken.add(text);
            // 2 s at about -30 dBFS: speech that begins in it may be its echo
            return Flux.range(0, 100)
                .map(i -> AudioFrame.of(ConversationTest.level(1000), 8000, i * 20L));
          },
          ConversationTest.PROMPTS,
          DialogueSettings.defaults(),
          turns::add,
          time);

  @AfterEach
  void stop() {
    clock.dispose();
  }

  private StepVerifier.FirstStep<Outcome> run() {
    clock.attach(call, f -> true);
    return StepVerifier.withVirtualTime(() -> conversation.run(call), () -> time, Long.MAX_VALUE);
  }

  private Instant now() {
    return Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS));
  }

  /** Speaks an utterance numbered {@code n}: start, {@code pieces} pieces of 256 samples. */
  private PcmAudio speak(int n, int pieces) {
    short[] all = new short[pieces * 256];
    java.util.Arrays.fill(all, (short) n);
    speech.tryEmitNext(new SpeechEvent.Started(Duration.ZERO, now()));
    for (int i = 0; i < pieces; i++) {
      short[] piece = java.util.Arrays.copyOfRange(all, i * 256, (i + 1) * 256);
      speech.tryEmitNext(
          new SpeechEvent.Audio(Duration.ofMillis(32L * i), PcmAudio.of(piece, 8000), now()));
    }
    return PcmAudio.of(all, 8000);
  }

  private void end(PcmAudio audio) {
    speech.tryEmitNext(
        new SpeechEvent.Ended(
            Duration.ZERO, audio.duration(), SpeechEvent.EndReason.SILENCE, audio, now()));
  }

  @Test
  void theSessionIsFedWhileTheCallerSpeaksAndOnlyFinalisesAtTheEnd() {
    run()
        .thenAwait(Duration.ofSeconds(3))
        .then(() -> assertThat(spoken).containsExactly("Hello."))
        .then(
            () -> {
              PcmAudio a = speak(7, 20);
              // every piece reached the session before the end of speech
              assertThat(received).hasValue(20 * 256);
              assertThat(finished).hasValue(0);
              end(a);
            })
        .thenAwait(FINALISATION)
        .then(
            () -> {
              assertThat(turns).hasSize(1);
              assertThat(turns.get(0).heard()).isEqualTo("word 7");
              // only the finalisation was left at the end of speech
              assertThat(Duration.between(turns.get(0).speechEnded(), turns.get(0).recognised()))
                  .isEqualTo(FINALISATION);
              // nothing fed twice: the streamed pieces were the whole utterance
              assertThat(received).hasValue(20 * 256);
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void aNewUtteranceDuringFinalisationWaitsForTheSessionAndIsAnswered() {
    run()
        .thenAwait(Duration.ofSeconds(3))
        .then(
            () -> {
              end(speak(1, 10));
              // the caller goes on at once, while the first is being finalised
              end(speak(2, 10));
            })
        .thenAwait(FINALISATION.multipliedBy(3))
        .then(
            () -> {
              assertThat(refused).hasValue(0);
              assertThat(finished).hasValue(2);
              // the second utterance replaced the first's processing, as before
              assertThat(turns).extracting(Turn::heard).containsExactly("word 2");
              assertThat(received).hasValue(20 * 256);
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void rejectedSpeechCancelsItsRecognitionAndFreesTheSession() {
    run()
        .thenAwait(Duration.ofSeconds(3))
        .then(
            () -> {
              speak(3, 4);
              speech.tryEmitNext(
                  new SpeechEvent.Rejected(Duration.ZERO, Duration.ofMillis(128), now()));
            })
        .then(() -> assertThat(cancelled).hasValue(1))
        .then(() -> end(speak(4, 10)))
        .thenAwait(FINALISATION)
        .then(
            () -> {
              assertThat(refused).hasValue(0);
              assertThat(turns).extracting(Turn::heard).containsExactly("word 4");
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void anEndWithoutStreamedAudioIsRecognisedWhole() {
    run()
        .thenAwait(Duration.ofSeconds(3))
        .then(
            () -> {
              short[] s = new short[1600];
              java.util.Arrays.fill(s, (short) 5);
              end(PcmAudio.of(s, 8000));
            })
        .thenAwait(FINALISATION)
        .then(
            () -> {
              assertThat(turns).extracting(Turn::heard).containsExactly("word 5");
              assertThat(received).hasValue(1600);
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void hangingUpWhileTheCallerSpeaksCancelsTheRecognition() {
    run()
        .thenAwait(Duration.ofSeconds(3))
        .then(() -> speak(6, 5))
        .then(() -> assertThat(received).hasValue(5 * 256))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(cancelled).hasValue(1);
    assertThat(finished).hasValue(0);
  }

  @Test
  void speechDuringAReplyThatIsItsEchoIsNeverDecoded() {
    run()
        .thenAwait(Duration.ofSeconds(1))
        .then(
            () -> {
              // the greeting plays; the line is quiet, so this speech is not the caller's
              PcmAudio a = speak(8, 10);
              assertThat(received).hasValue(0);
              end(a);
            })
        .thenAwait(Duration.ofSeconds(3))
        .then(
            () -> {
              assertThat(recognitions).hasValue(0);
              assertThat(turns).isEmpty();
            })
        .then(() -> end(speak(9, 10)))
        .thenAwait(FINALISATION)
        .then(
            () -> {
              assertThat(recognitions).hasValue(1);
              assertThat(turns).extracting(Turn::heard).containsExactly("word 9");
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void aBargeInLetsTheSessionDecodeTheUtteranceBeforeItEnds() {
    run()
        .thenAwait(Duration.ofSeconds(1))
        .then(
            () -> {
              // the caller, louder than the reply, talks over it
              for (int i = 0; i < 8; i++) {
                call.receiveAudio(AudioFrame.of(ConversationTest.level(8000), 8000, i * 20L));
              }
              PcmAudio a = speak(10, 10);
              assertThat(received).as("fed before the end of speech").hasValue(10 * 256);
              end(a);
            })
        .thenAwait(FINALISATION)
        .then(() -> assertThat(turns).extracting(Turn::heard).containsExactly("word 10"))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void anUtteranceStreamedPastTheLongestTheSegmenterMakesIsDroppedAndTheSessionFreed() {
    long cap = 310L * 8000; // 5 min 10 s: more than the segmenter's 5-minute cut plus pre-roll
    run()
        .thenAwait(Duration.ofSeconds(3))
        .then(
            () -> {
              // a segmenter gone wrong: 320 s of one utterance in 10 s pieces, never ended
              speech.tryEmitNext(new SpeechEvent.Started(Duration.ZERO, now()));
              short[] tenSeconds = new short[80_000];
              java.util.Arrays.fill(tenSeconds, (short) 11);
              for (int i = 0; i < 32; i++) {
                speech.tryEmitNext(
                    new SpeechEvent.Audio(
                        Duration.ofSeconds(10L * i), PcmAudio.of(tenSeconds, 8000), now()));
              }
            })
        .then(
            () -> {
              assertThat(received.get()).isLessThanOrEqualTo(cap).isGreaterThan(cap - 80_000);
              assertThat(cancelled).hasValue(1);
              assertThat(turns).isEmpty();
            })
        // the call goes on: the next utterance is recognised by the same, freed session
        .then(() -> end(speak(12, 10)))
        .thenAwait(FINALISATION)
        .then(
            () -> {
              assertThat(refused).hasValue(0);
              assertThat(turns).extracting(Turn::heard).containsExactly("word 12");
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  private static Transcript transcript(String text) {
    return new Transcript(text, 0, 0.9, List.of(), List.of(), Duration.ZERO, Duration.ZERO);
  }
}
