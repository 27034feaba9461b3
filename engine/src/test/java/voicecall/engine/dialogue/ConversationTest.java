package voicecall.engine.dialogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
import voicecall.engine.stt.RecognitionException;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Transcript;
import voicecall.engine.vad.SpeechEvent;
import voicecall.rag.Alternative;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.Entry;
import voicecall.rag.Language;
import voicecall.tts.audio.PcmAudio;

class ConversationTest {

  /** Short prompts, each its own text, for the tests of this package. */
  static final Prompts PROMPTS =
      new Prompts(
          "Hello.",
          "Anything else?",
          "Say more.",
          "Say again?",
          "Transfer.",
          "Still there?",
          "Goodbye.",
          "Mean {1} or {2}?",
          "Mean {1}?",
          "One or two.",
          "Yes or no.",
          "Menu.",
          "Press {digit} for {label}.",
          "Zero for agent.",
          CallerWords.english());

  private static final DialogueSettings SETTINGS =
      new DialogueSettings(
          Duration.ofSeconds(8), 2, Duration.ofMinutes(10), 2, Duration.ofMillis(300), 10, 9, 0.1);

  private static final Entry HOURS =
      new Entry(
          "e1", List.of("When do you open?"), "We open at nine.", List.of("hours"), Language.EN);
  private static final Entry FEES =
      new Entry("e2", List.of("What are the fees?"), "Fees are low.", List.of("fees"), Language.EN);
  private static final Entry ROAMING =
      new Entry(
          "e3", List.of("Does roaming work?"), "Roaming works.", List.of("roaming"), Language.EN);
  private static final Map<String, Entry> ENTRIES = Map.of("e1", HOURS, "e2", FEES, "e3", ROAMING);

  /** What the fake recogniser hears, by the utterance's first sample. */
  private static final Map<Integer, String> HEARD =
      Map.of(
          1, "opening hours",
          2, "blah",
          3, "no thanks that's all",
          4, "the second one",
          5, "yes",
          6, "fees or roaming",
          7, "roaming please",
          8, "one");

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
                      .map(a -> transcript(HEARD.getOrDefault((int) a.sample(0), "")))
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

  /** 1 s of audio per reply (longer than the call's outbound queue), at 1000 (about -30 dBFS). */
  private Flux<AudioFrame> speak(String text) {
    spoken.add(text);
    return Flux.range(0, 50)
        .map(i -> AudioFrame.of(level(1000), 8000, i * 20L))
        .doOnCancel(cancelledReplies::incrementAndGet);
  }

  private static Mono<Answer> decide(Transcript t) {
    String text = t.text();
    if (text.contains("hours")) {
      return Mono.just(new Answer(Decision.ANSWER, "e1", "We open at nine.", 0.9, List.of(), 1));
    }
    if (text.contains("fees")) {
      return Mono.just(
          new Answer(
              Decision.CLARIFY,
              "e2",
              "Fees are low.",
              0.5,
              List.of(new Alternative("e3", 0.45), new Alternative("e1", 0.1)),
              1));
    }
    if (text.contains("roaming")) {
      return Mono.just(
          new Answer(
              Decision.CLARIFY,
              "e3",
              "Roaming works.",
              0.5,
              List.of(new Alternative("e1", 0.2)),
              1));
    }
    return Mono.just(new Answer(Decision.NONE, null, null, 0.1, List.of(), 1));
  }

  /** The scripted speech events; the inbound audio is consumed as the real segmenter does. */
  private Flux<SpeechEvent> segment(Flux<PcmAudio> frames) {
    return speech
        .asFlux()
        .mergeWith(frames.thenMany(Flux.<SpeechEvent>empty()))
        .doOnCancel(() -> segmenterCancelled.set(true));
  }

  private final Conversation conversation = spokenWith(recognizer);

  private final Conversation menu =
      Conversation.menu(
          () -> List.of(HOURS, FEES, ROAMING), this::speak, PROMPTS, SETTINGS, turns::add, time);

  private static final String MENU =
      "Menu. Press 1 for hours. Press 2 for fees. Press 3 for roaming. Zero for agent.";

  @AfterEach
  void stop() {
    clock.dispose();
  }

  private StepVerifier.FirstStep<Outcome> run(Conversation c) {
    clock.attach(call, sent::add);
    return StepVerifier.withVirtualTime(() -> c.run(call), () -> time, Long.MAX_VALUE);
  }

  @Test
  void greetsThenAnswersAQuestionWithLatencyMarks() {
    run(conversation)
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
              assertThat(t.score()).isEqualTo(0.9);
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
    run(conversation)
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
    run(conversation)
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
    run(conversation)
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
  void dtmfZeroAfterAQuestionGivesTheAgentThatQuestion() {
    run(conversation)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> call.receiveDtmf('0'))
        .thenAwait(Duration.ofMillis(1500))
        .expectNext(Outcome.TRANSFER)
        .verifyComplete();
    assertThat(turns).extracting(Turn::decision).containsExactly(Decision.ANSWER, Decision.HUMAN);
    assertThat(call.transferRequested().block(Duration.ZERO))
        .isEqualTo(
            new TransferRequest("t1", "opening hours", "e1", TransferRequest.Reason.PRESSED_ZERO));
  }

  @Test
  void hangUpDisposesEverything() {
    run(conversation)
        .thenAwait(Duration.ofMillis(100))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(segmenterCancelled).isTrue();
    assertThat(sessionClosed).isTrue();
    assertThat(cancelledReplies).hasValue(1);
    assertThat(speech.currentSubscriberCount()).isZero();
  }

  @Test
  void silenceIsRepromptedOnceThenTheCallEndsWithAGoodbye() {
    run(conversation)
        // greeting (1 s) + 8 s of silence: not yet
        .thenAwait(Duration.ofMillis(8900))
        .then(() -> assertThat(spoken).containsExactly("Hello."))
        .thenAwait(Duration.ofMillis(200))
        .then(() -> assertThat(spoken).containsExactly("Hello.", "Still there?"))
        .then(() -> assertThat(call.isActive()).isTrue())
        // the re-prompt (1 s) + 8 s more, then the goodbye (1 s)
        .thenAwait(Duration.ofSeconds(11))
        .expectNext(Outcome.TIMED_OUT)
        .verifyComplete();
    assertThat(spoken).containsExactly("Hello.", "Still there?", "Goodbye.");
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.ENGINE);
  }

  @Test
  void speakingResetsTheSilenceCountAndStopsTheTimer() {
    run(conversation)
        .thenAwait(Duration.ofMillis(9500))
        .then(() -> assertThat(spoken).containsExactly("Hello.", "Still there?"))
        .thenAwait(Duration.ofSeconds(2))
        // the caller starts talking and keeps talking for 20 s: no re-prompt meanwhile
        .then(() -> speech.tryEmitNext(started()))
        .thenAwait(Duration.ofSeconds(20))
        .then(() -> assertThat(spoken).containsExactly("Hello.", "Still there?"))
        .then(() -> speech.tryEmitNext(ended(1)))
        // answer (1 s) + 8 s: a first silence again, not the second
        .thenAwait(Duration.ofMillis(9500))
        .then(
            () ->
                assertThat(spoken)
                    .containsExactly(
                        "Hello.",
                        "Still there?",
                        "We open at nine. Anything else?",
                        "Still there?"))
        .then(() -> assertThat(call.isActive()).isTrue())
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void theCallEndsAtItsMaximumLength() {
    DialogueSettings shortCalls =
        new DialogueSettings(
            Duration.ofSeconds(8), 2, Duration.ofSeconds(5), 2, Duration.ofMillis(300), 10, 9, 0.1);
    Conversation c =
        Conversation.create(
            this::segment,
            recognizer,
            ConversationTest::decide,
            id -> Optional.ofNullable(ENTRIES.get(id)),
            this::speak,
            PROMPTS,
            shortCalls,
            turns::add,
            time);
    run(c)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(3450))
        .then(() -> assertThat(call.isActive()).isTrue())
        .thenAwait(Duration.ofMillis(1500))
        .expectNext(Outcome.MAX_DURATION)
        .verifyComplete();
    assertThat(spoken).containsExactly("Hello.", "We open at nine. Anything else?", "Goodbye.");
  }

  @Test
  void sayingNoThanksAfterAnAnswerEndsTheCallPolitely() {
    run(conversation)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(3)))
        .thenAwait(Duration.ofMillis(1500))
        .expectNext(Outcome.COMPLETED)
        .verifyComplete();
    assertThat(spoken).containsExactly("Hello.", "We open at nine. Anything else?", "Goodbye.");
    assertThat(turns)
        .extracting(Turn::heard)
        .containsExactly("opening hours", "no thanks that's all");
  }

  @Test
  void noThanksWithoutAnAnswerBeforeIsNotAGoodbye() {
    run(conversation)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(3)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).containsExactly("Hello.", "Say again?"))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void clarifyAsksAboutTwoCandidatesAndUnderstandsTheSpokenChoice() {
    run(conversation)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(6)))
        .thenAwait(Duration.ofMillis(1500))
        .then(
            () ->
                assertThat(spoken)
                    .last()
                    .isEqualTo("Mean What are the fees or Does roaming work? One or two."))
        .then(() -> speech.tryEmitNext(ended(4)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("Roaming works. Anything else?"))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(turns).extracting(Turn::decision).containsExactly(Decision.CLARIFY, Decision.ANSWER);
    assertThat(turns).extracting(Turn::entryId).containsExactly("e2", "e3");
  }

  @Test
  void clarifyUnderstandsKeyTwoAndTheChoiceIsOnlyForTheNextTurn() {
    run(conversation)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(6)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> call.receiveDtmf('2'))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("Roaming works. Anything else?"))
        // "one" now is a new question (nothing matches), not a choice
        .then(() -> speech.tryEmitNext(ended(8)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("Say again?"))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void clarifyWithOneCandidateAsksYesOrNo() {
    run(conversation)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(7)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("Mean Does roaming work? Yes or no."))
        .then(() -> speech.tryEmitNext(ended(5)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("Roaming works. Anything else?"))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void aNewQuestionAfterAClarifyingQuestionIsAnswered() {
    run(conversation)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(6)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("We open at nine. Anything else?"))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void starRepeatsTheLastReply() {
    run(conversation)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> call.receiveDtmf('*'))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(spoken)
        .containsExactly(
            "Hello.", "We open at nine. Anything else?", "We open at nine. Anything else?");
  }

  @Test
  void theKeypadMenuAnswersADigitThenOffersTheMenuAgain() {
    run(menu)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).containsExactly("Hello. " + MENU))
        .then(() -> call.receiveDtmf('2'))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("Fees are low. " + MENU))
        .then(() -> call.receiveDtmf('*'))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("Fees are low. " + MENU))
        // a key with no item is ignored
        .then(() -> call.receiveDtmf('7'))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> call.receiveDtmf('0'))
        .thenAwait(Duration.ofMillis(1500))
        .expectNext(Outcome.TRANSFER)
        .verifyComplete();
    assertThat(spoken).hasSize(4).last().isEqualTo("Transfer.");
    assertThat(turns).extracting(Turn::entryId).containsExactly("e2", null);
  }

  /** A recogniser whose sessions are all taken, or one that fails to open for another reason. */
  private static Recognizer failingToOpen(RecognitionException.Reason reason) {
    return new Recognizer() {
      @Override
      public Mono<RecognitionSession> open() {
        return Mono.error(new RecognitionException(reason, "recogniser at capacity: 2", null));
      }

      @Override
      public void close() {}
    };
  }

  private Conversation spokenWith(Recognizer r) {
    return Conversation.create(
        this::segment,
        r,
        ConversationTest::decide,
        id -> Optional.ofNullable(ENTRIES.get(id)),
        this::speak,
        PROMPTS,
        SETTINGS,
        turns::add,
        time);
  }

  @Test
  void aCallThatFindsTheRecogniserBusyGetsTheKeypadMenuInstead() {
    AtomicInteger fallbacks = new AtomicInteger();
    Conversation busy =
        spokenWith(failingToOpen(RecognitionException.Reason.BUSY))
            .withKeypadFallback(() -> List.of(HOURS, FEES, ROAMING), fallbacks::incrementAndGet);
    run(busy)
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).containsExactly("Hello. " + MENU))
        .then(() -> call.receiveDtmf('3'))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> assertThat(spoken).last().isEqualTo("Roaming works. " + MENU))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(fallbacks).hasValue(1);
    assertThat(turns).extracting(Turn::entryId).containsExactly("e3");
  }

  @Test
  void withoutTheFallbackOrForAnotherFailureTheCallIsHungUpOn() {
    AtomicInteger fallbacks = new AtomicInteger();
    Conversation closed =
        spokenWith(failingToOpen(RecognitionException.Reason.CLOSED))
            .withKeypadFallback(() -> List.of(HOURS, FEES, ROAMING), fallbacks::incrementAndGet);
    run(closed).expectNext(Outcome.HUNG_UP).verifyComplete();
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.ENGINE);
    assertThat(spoken).isEmpty();
    assertThat(fallbacks).hasValue(0);
  }

  @Test
  void aBusyRecogniserWithoutTheFallbackHangsUp() {
    run(spokenWith(failingToOpen(RecognitionException.Reason.BUSY)))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(call.ended().block(Duration.ZERO)).isEqualTo(HangupCause.ENGINE);
    assertThat(spoken).isEmpty();
  }

  @Test
  void theKeypadMenuRepeatsItselfOnSilenceThenSaysGoodbye() {
    run(menu)
        .thenAwait(Duration.ofMillis(9500))
        .then(() -> assertThat(spoken).last().isEqualTo("Still there? " + MENU))
        .thenAwait(Duration.ofSeconds(10))
        .expectNext(Outcome.TIMED_OUT)
        .verifyComplete();
  }

  @Test
  void speechDuringAReplyAtEchoLevelDoesNotInterruptIt() {
    run(conversation)
        .thenAwait(Duration.ofMillis(100))
        .then(() -> speech.tryEmitNext(started()))
        // the line returns the reply 20 dB down: -50 dBFS against the reply's -30
        .then(() -> feed(100, 20))
        .thenAwait(Duration.ofMillis(400))
        .then(() -> feed(100, 20))
        .then(() -> assertThat(cancelledReplies).hasValue(0))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(2000))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    // the echo's "utterance" was not taken for a question
    assertThat(spoken).containsExactly("Hello.");
    assertThat(cancelledReplies).hasValue(0);
  }

  @Test
  void aLoudCallerInterruptsAfterTheHoldOffAndTheirQuestionIsAnswered() {
    run(conversation)
        .thenAwait(Duration.ofMillis(100))
        .then(() -> speech.tryEmitNext(started()))
        // as loud as the reply, but inside the hold-off: the reply goes on
        .then(() -> feed(1000, 8))
        .then(() -> assertThat(cancelledReplies).hasValue(0))
        .thenAwait(Duration.ofMillis(200))
        .then(() -> assertThat(call.queuedOutboundFrames()).isPositive())
        // past the hold-off: the next inbound frame stops the reply and clears the queue
        .then(() -> feed(1000, 1))
        .then(
            () -> {
              assertThat(cancelledReplies).hasValue(1);
              assertThat(call.queuedOutboundFrames()).isZero();
            })
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
    assertThat(spoken).containsExactly("Hello.", "We open at nine. Anything else?");
  }

  @Test
  void promptsRejectTemplatesWithoutTheirBlanks() {
    assertThatThrownBy(
            () ->
                new Prompts(
                    "a",
                    "b",
                    "c",
                    "d",
                    "e",
                    "f",
                    "g",
                    "Did you mean?",
                    "{1}",
                    "h",
                    "i",
                    "j",
                    "{digit} {label}",
                    "k",
                    CallerWords.english()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clarifyTwo");
    assertThat(Prompts.english().words().done()).contains("no thanks");
  }

  private final List<Phrasing.Result> phrasingResults = new CopyOnWriteArrayList<>();

  private Conversation phrased(Phrasing phrasing) {
    return conversation.withPhrasing(phrasing, Duration.ofMillis(700), phrasingResults::add);
  }

  @Test
  void aPhrasedAnswerIsSpokenSentenceBySentenceAsItArrives() {
    List<String> asked = new CopyOnWriteArrayList<>();
    Phrasing phrasing =
        (question, answer) -> {
          asked.add(question + " -> " + answer.entryId());
          return Flux.concat(
              Mono.delay(Duration.ofMillis(300), time).thenReturn("We open at nine, friend."),
              Mono.delay(Duration.ofMillis(2000), time).thenReturn("Weekends too."));
        };
    run(phrased(phrasing))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(500))
        .then(
            () -> {
              // recognised after 100 ms, first sentence 300 ms later: already being spoken
              assertThat(spoken).containsExactly("Hello.", "We open at nine, friend.");
              assertThat(asked).containsExactly("opening hours -> e1");
            })
        .thenAwait(Duration.ofMillis(4000))
        .then(
            () -> {
              assertThat(spoken)
                  .containsExactly(
                      "Hello.", "We open at nine, friend.", "Weekends too.", "Anything else?");
              assertThat(phrasingResults).containsExactly(Phrasing.Result.PHRASED);
              assertThat(turns).hasSize(1);
              assertThat(turns.get(0).entryId()).isEqualTo("e1");
            })
        .then(() -> call.receiveDtmf('*'))
        .thenAwait(Duration.ofMillis(100))
        .then(
            () ->
                assertThat(spoken)
                    .endsWith("We open at nine, friend. Weekends too. Anything else?"))
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void aPhrasingSlowerThanTheDeadlineGivesTheKnowledgeAnswer() {
    Phrasing slow =
        (question, answer) ->
            Mono.delay(Duration.ofMillis(900), time).thenReturn("Too late to be said.").flux();
    run(phrased(slow))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(3000))
        .then(
            () -> {
              assertThat(spoken).containsExactly("Hello.", "We open at nine.", "Anything else?");
              assertThat(phrasingResults).containsExactly(Phrasing.Result.FALLBACK_DEADLINE);
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  @Test
  void aPhrasingThatFailsFirstGivesTheKnowledgeAnswerAndMidwayEndsTheReply() {
    AtomicInteger calls = new AtomicInteger();
    Phrasing flaky =
        (question, answer) ->
            calls.incrementAndGet() == 1
                ? Flux.error(new UncitedAnswerException("cites nothing"))
                : Flux.just("We open at nine.")
                    .concatWith(Flux.error(new IllegalStateException("stream cut")));
    run(phrased(flaky))
        .thenAwait(Duration.ofMillis(1500))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(3000))
        .then(() -> speech.tryEmitNext(ended(1)))
        .thenAwait(Duration.ofMillis(3000))
        .then(
            () -> {
              assertThat(spoken)
                  .containsExactly(
                      "Hello.",
                      "We open at nine.",
                      "Anything else?",
                      "We open at nine.",
                      "Anything else?");
              assertThat(phrasingResults)
                  .containsExactly(
                      Phrasing.Result.FALLBACK_CITATION,
                      Phrasing.Result.PHRASED,
                      Phrasing.Result.FAILED_MIDWAY);
            })
        .then(() -> call.end(HangupCause.CALLER))
        .expectNext(Outcome.HUNG_UP)
        .verifyComplete();
  }

  /** Feeds inbound frames at a level (amplitude). */
  private void feed(int amplitude, int frames) {
    for (int i = 0; i < frames; i++) {
      call.receiveAudio(AudioFrame.of(level(amplitude), 8000, 0));
    }
  }

  /** A 20 ms frame's samples at {@code amplitude}. */
  static short[] level(int amplitude) {
    short[] s = new short[160];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (i % 2 == 0 ? amplitude : -amplitude);
    }
    return s;
  }

  private SpeechEvent.Started started() {
    return new SpeechEvent.Started(
        Duration.ZERO, Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS)));
  }

  private SpeechEvent.Ended ended(int marker) {
    short[] s = new short[1600];
    s[0] = (short) marker;
    return new SpeechEvent.Ended(
        Duration.ZERO,
        Duration.ofMillis(200),
        SpeechEvent.EndReason.SILENCE,
        PcmAudio.of(s, 8000),
        Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS)));
  }

  private static Transcript transcript(String text) {
    return new Transcript(text, 0, 0.9, List.of(), List.of(), Duration.ZERO, Duration.ZERO);
  }
}
