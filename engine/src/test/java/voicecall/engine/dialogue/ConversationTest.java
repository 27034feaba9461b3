package voicecall.engine.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import voicecall.engine.call.TransferRequest;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Transcript;
import voicecall.engine.vad.SpeechEvent;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.tts.audio.PcmAudio;

class ConversationTest {

  private static final Prompts PROMPTS =
      new Prompts("Hello.", "Anything else?", "I think you mean:", "Say again?", "Transfer.", 2);

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final FrameClock clock = FrameClock.start(time, ClockMetrics.NONE);
  private final List<AudioFrame> sent = new CopyOnWriteArrayList<>();
  private final Sinks.Many<SpeechEvent> speech = Sinks.many().multicast().onBackpressureBuffer();
  private final AtomicBoolean segmenterCancelled = new AtomicBoolean();
  private final AtomicBoolean sessionClosed = new AtomicBoolean();
  private final List<String> spoken = new CopyOnWriteArrayList<>();
  private final AtomicInteger cancelledReplies = new AtomicInteger();
  private final List<Turn> turns = new CopyOnWriteArrayList<>();
  private final Call call = Call.open("t1", "en", 8000, time);

  /** Recognises an utterance by its first sample: 1 is a known question, anything else not. */
  private final Recognizer recognizer =
      new Recognizer() {
        @Override
        public Mono<RecognitionSession> open() {
          return Mono.just(
              new RecognitionSession() {
                @Override
                public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
                  return utterance
                      .next()
                      .map(a -> transcript(a.sample(0) == 1 ? "opening hours" : "blah"))
                      .delayElement(Duration.ofMillis(100), time);
                }

                @Override
                public void close() {
                  sessionClosed.set(true);
                }
              });
        }

        @Override
        public void close() {}
      };

  private final Conversation conversation =
      Conversation.create(
          frames -> speech.asFlux().doOnCancel(() -> segmenterCancelled.set(true)),
          recognizer,
          t ->
              Mono.just(
                  t.text().contains("hours")
                      ? new Answer(Decision.ANSWER, "e1", "We open at nine.", 0.9, List.of(), 1)
                      : new Answer(Decision.NONE, null, null, 0.1, List.of(), 1)),
          text -> {
            spoken.add(text);
            // 1 s of audio per reply: longer than the call's outbound queue
            return Flux.range(0, 50)
                .map(i -> AudioFrame.of(new short[160], 8000, i * 20L))
                .doOnCancel(cancelledReplies::incrementAndGet);
          },
          PROMPTS,
          turns::add,
          time);

  @AfterEach
  void stop() {
    clock.dispose();
  }

  @Test
  void greetsThenAnswersAQuestionWithLatencyMarks() {
    clock.attach(call, sent::add);
    StepVerifier.withVirtualTime(() -> conversation.run(call), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).containsExactly("Hello."))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(1500))
        .then(
            () -> {
              assertThat(spoken).containsExactly("Hello.", "We open at nine. Anything else?");
              assertThat(turns).hasSize(1);
              Turn t = turns.get(0);
              assertThat(t.decision()).isEqualTo(Decision.ANSWER);
              assertThat(t.entryId()).isEqualTo("e1");
              assertThat(t.heard()).isEqualTo("opening hours");
              assertThat(Duration.between(t.speechEnded(), t.recognised()))
                  .isEqualTo(Duration.ofMillis(100));
              assertThat(t.voiceToVoice()).isPresent();
              assertThat(t.voiceToVoice().orElseThrow())
                  .isGreaterThanOrEqualTo(Duration.ofMillis(100));
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    // greeting and answer, 50 frames each, reached the line
    assertThat(sent.stream().filter(f -> f.timestampMillis() >= 0).count()).isGreaterThan(100);
    assertThat(cancelledReplies).hasValue(0);
  }

  @Test
  void newSpeechWhileAReplyPlaysCancelsItAndClearsTheQueue() {
    clock.attach(call, sent::add);
    StepVerifier.withVirtualTime(() -> conversation.run(call), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofMillis(200))
        .then(() -> assertThat(call.queuedOutboundFrames()).isPositive())
        .then(() -> speech.tryEmitNext(ended(1)))
        .then(
            () -> {
              // the greeting was cut the moment the caller's speech ended
              assertThat(cancelledReplies).hasValue(1);
              assertThat(call.queuedOutboundFrames()).isZero();
            })
        .thenAwait(Duration.ofMillis(300))
        .then(() -> speech.tryEmitNext(ended(1)))
        .then(() -> assertThat(cancelledReplies).hasValue(2))
        .thenAwait(Duration.ofMillis(2000))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(spoken)
        .containsExactly(
            "Hello.", "We open at nine. Anything else?", "We open at nine. Anything else?");
  }

  @Test
  void twoMissesInARowTransferAndHangUp() {
    clock.attach(call, sent::add);
    StepVerifier.withVirtualTime(() -> conversation.run(call), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(2)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(call.isActive()).isTrue())
        .then(() -> speech.tryEmitNext(ended(2)))
        .thenAwait(Duration.ofMillis(1500))
        .expectNext(Outcome.TRANSFER)
        .verifyComplete();
    assertThat(spoken).containsExactly("Hello.", "Say again?", "Transfer.");
    assertThat(turns).extracting(Turn::decision).containsExactly(Decision.NONE, Decision.NONE);
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.TRANSFER);
    assertThat(call.transferRequested().block(Duration.ZERO))
        .isEqualTo(new TransferRequest("t1", "blah", null, TransferRequest.Reason.NOT_UNDERSTOOD));
    assertThat(sessionClosed).isTrue();
  }

  @Test
  void dtmfZeroTransfers() {
    clock.attach(call, sent::add);
    StepVerifier.withVirtualTime(() -> conversation.run(call), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofMillis(100))
        .then(() -> call.receiveDtmf('0'))
        .thenAwait(Duration.ofMillis(1500))
        .expectNext(Outcome.TRANSFER)
        .verifyComplete();
    assertThat(spoken).containsExactly("Hello.", "Transfer.");
    assertThat(turns).extracting(Turn::decision).containsExactly(Decision.HUMAN);
    assertThat(call.transferRequested().block(Duration.ZERO))
        .isEqualTo(new TransferRequest("t1", "", null, TransferRequest.Reason.PRESSED_ZERO));
  }

  @Test
  void hangUpDisposesEverything() {
    clock.attach(call, sent::add);
    StepVerifier.withVirtualTime(() -> conversation.run(call), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofMillis(100))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(segmenterCancelled).isTrue();
    assertThat(sessionClosed).isTrue();
    assertThat(cancelledReplies).hasValue(1);
    assertThat(speech.currentSubscriberCount()).isZero();
  }

  private SpeechEvent.Ended ended(int marker) {
    short[] s = new short[1600];
    s[0] = (short) marker;
    return new SpeechEvent.Ended(
        Duration.ZERO,
        Duration.ofMillis(200),
        SpeechEvent.EndReason.SILENCE,
        PcmAudio.of(s, 8000),
        Instant.ofEpochMilli(time.now(java.util.concurrent.TimeUnit.MILLISECONDS)));
  }

  private static Transcript transcript(String text) {
    return new Transcript(text, 0, 0.9, List.of(), List.of(), Duration.ZERO, Duration.ZERO);
  }
}
