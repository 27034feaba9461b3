package voicecall.engine.dialogue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.audio.MuLaw;
import voicecall.engine.call.Call;
import voicecall.engine.call.ClockMetrics;
import voicecall.engine.call.FrameClock;
import voicecall.engine.call.HangupCause;
import voicecall.engine.stt.EvalSet;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Transcript;
import voicecall.engine.testspeech.Flite;
import voicecall.engine.vad.SpeechEvent;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.rag.Entry;
import voicecall.tts.audio.PcmAudio;

/**
 * One spoken call with real parts, on a real-time frame clock: the caller's questions (flite speech
 * at telephone quality) go into the call's inbound audio one after another, each once the previous
 * reply has been spoken; the line returns the engine's own audio at {@code echoGain} into the
 * inbound audio too. The recogniser's session is wrapped so a test sees what it was fed and when:
 * how much audio it had received when the segmenter reported the end of speech.
 */
final class SpokenCall {

  static final int RATE = 8000;
  private static final int FRAME = RATE / 50;

  /** What one recognition of the session received and gave. */
  static final class Recognition {
    final AtomicLong received = new AtomicLong();
    final List<PcmAudio> pieces = new CopyOnWriteArrayList<>();
    volatile @Nullable Transcript transcript;
    volatile @Nullable Throwable error;
    volatile boolean cancelled;
    volatile boolean completed;

    short[] audio() {
      int n = pieces.stream().mapToInt(PcmAudio::length).sum();
      short[] all = new short[n];
      int at = 0;
      for (PcmAudio p : pieces) {
        System.arraycopy(p.samples(), 0, all, at, p.length());
        at += p.length();
      }
      return all;
    }
  }

  /** An end of speech as the segmenter reported it, with what the session had received then. */
  record EndOfSpeech(
      SpeechEvent.Ended ended, long receivedThen, @Nullable Recognition recognition) {}

  private final Scheduler ticks = Schedulers.newSingle("spoken-call-clock");
  private final FrameClock clock = FrameClock.start(ticks, ClockMetrics.NONE);
  private final Call call = Call.open("spoken", "en", RATE, ticks);
  private final List<PcmAudio> questions;
  private final double echoGain;
  private final AtomicInteger tick = new AtomicInteger();
  private final AtomicInteger next = new AtomicInteger();
  private volatile int startedAt = -1;
  private volatile int waitingSince = -1;
  private volatile int doneAt = -1;

  final List<Turn> turns = new CopyOnWriteArrayList<>();
  final List<Recognition> recognitions = new CopyOnWriteArrayList<>();
  final List<EndOfSpeech> ends = new CopyOnWriteArrayList<>();
  final List<SpeechEvent> events = new CopyOnWriteArrayList<>();

  private SpokenCall(List<PcmAudio> questions, double echoGain) {
    this.questions = List.copyOf(questions);
    this.echoGain = echoGain;
  }

  /**
   * Starts the call.
   *
   * @param questions what the caller says, in turn; each after the previous reply and a pause
   * @param greeting the greeting's audio (the replies are short silences)
   * @param echoGain the line's echo of the engine's audio (0 for none)
   * @param segment the segmenter, e.g. {@code segmenter::segmentWithAudio}
   * @param recognizer the real recogniser
   */
  static SpokenCall start(
      List<PcmAudio> questions,
      PcmAudio greeting,
      double echoGain,
      java.util.function.Function<Flux<PcmAudio>, Flux<SpeechEvent>> segment,
      Recognizer recognizer) {
    SpokenCall c = new SpokenCall(questions, echoGain);
    c.run(greeting, segment, recognizer);
    return c;
  }

  private Disposable running = () -> {};

  private void run(
      PcmAudio greeting,
      java.util.function.Function<Flux<PcmAudio>, Flux<SpeechEvent>> segment,
      Recognizer recognizer) {
    clock.attach(call, this::onTick);
    Conversation conversation =
        Conversation.create(
            frames ->
                segment
                    .apply(frames)
                    .doOnNext(
                        e -> {
                          events.add(e);
                          if (e instanceof SpeechEvent.Ended ended) {
                            Recognition r =
                                recognitions.isEmpty()
                                    ? null
                                    : recognitions.get(recognitions.size() - 1);
                            ends.add(new EndOfSpeech(ended, r == null ? 0 : r.received.get(), r));
                          }
                        }),
            recording(recognizer),
            t -> Mono.just(new Answer(Decision.ANSWER, "e1", "Fine.", 0.9, List.of(), 1)),
            id -> Optional.empty(),
            text ->
                Flux.fromIterable(
                    AudioFrame.split(
                        text.equals(ConversationTest.PROMPTS.greeting())
                            ? greeting.samples()
                            : new short[RATE / 2],
                        RATE,
                        20,
                        0)),
            ConversationTest.PROMPTS,
            DialogueSettings.defaults(),
            turns::add,
            ticks);
    running = conversation.run(call).subscribe();
  }

  /** The line, one 20 ms tick: the echo of our frame plus the caller's current question. */
  private boolean onTick(AudioFrame out) {
    int t = tick.getAndIncrement();
    int q = next.get();
    if (startedAt < 0 && q < questions.size()) {
      // the caller waits for the reply to the previous question to be spoken, then pauses
      // (a question that was rejected as noise gets no reply)
      long rejected = events.stream().filter(SpeechEvent.Rejected.class::isInstance).count();
      boolean replied = turns.size() + rejected >= q && call.queuedOutboundFrames() == 0 && t > 5;
      if (!replied) {
        waitingSince = -1;
      } else if (waitingSince < 0) {
        waitingSince = t;
      } else if (t - waitingSince >= 40) {
        startedAt = t;
      }
    }
    short[] in = new short[FRAME];
    short[] played = out.samples();
    int s = startedAt;
    PcmAudio question = s >= 0 && q < questions.size() ? questions.get(q) : null;
    for (int i = 0; i < FRAME; i++) {
      double v = played[i] * echoGain;
      if (question != null) {
        long k = (long) (t - s) * FRAME + i;
        if (k < question.length()) {
          v += question.sample((int) k);
        }
      }
      in[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
    if (question != null && (long) (t - s + 1) * FRAME >= question.length()) {
      startedAt = -1;
      waitingSince = -1;
      if (next.incrementAndGet() == questions.size()) {
        doneAt = t;
      }
    }
    call.receiveAudio(AudioFrame.of(in, RATE, t * 20L));
    return true;
  }

  /** Waits until every question has been answered (a turn each), then hangs up. */
  void awaitTurns(int expected, int seconds) {
    awaitUntil(() -> turns.size() >= expected, seconds);
  }

  /** Waits until the caller has said everything and another second has passed. */
  void awaitSaidAll(int seconds) {
    awaitUntil(() -> doneAt >= 0 && tick.get() > doneAt + 50, seconds);
  }

  void hangUp() {
    call.end(HangupCause.CALLER);
    running.dispose();
    clock.dispose();
    ticks.dispose();
  }

  private Recognizer recording(Recognizer real) {
    return new Recognizer() {
      @Override
      public Mono<RecognitionSession> open() {
        return real.open()
            .map(
                session ->
                    new RecognitionSession() {
                      @Override
                      public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
                        return Mono.defer(
                            () -> {
                              Recognition r = new Recognition();
                              recognitions.add(r);
                              // taken as it comes, whatever the session's demand: the count says
                              // what the dialogue had fed, not how far the decoder had got
                              Flux<PcmAudio> counted =
                                  utterance
                                      .doOnNext(
                                          p -> {
                                            r.pieces.add(p);
                                            r.received.addAndGet(p.length());
                                          })
                                      .doOnComplete(() -> r.completed = true)
                                      .onBackpressureBuffer();
                              return session
                                  .recognize(counted)
                                  .doOnNext(t -> r.transcript = t)
                                  .doOnError(e -> r.error = e)
                                  .doOnCancel(() -> r.cancelled = true);
                            });
                      }

                      @Override
                      public void close() {
                        session.close();
                      }
                    });
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }

  /** flite speech at telephone quality: 8 kHz through a µ-law round trip, trimmed. */
  static PcmAudio telephone(String voice, String text) {
    short[] s = Flite.speak(voice, text).trimSilence(-50, Duration.ZERO).resampleTo(RATE).samples();
    for (int i = 0; i < s.length; i++) {
      s[i] = MuLaw.decode(MuLaw.encode(s[i]));
    }
    return PcmAudio.of(s, RATE);
  }

  /** The English FAQ of the rag module's evaluation set (the recogniser's language model). */
  static List<Entry> faq() {
    return EvalSet.entries("en");
  }

  /** The first {@code n} in-scope English caller questions of the evaluation set. */
  static List<String> questions(int n) {
    return EvalSet.queries("en").stream()
        .filter(q -> q.expectedId() != null)
        .limit(n)
        .map(EvalSet.Query::text)
        .toList();
  }

  static void awaitUntil(BooleanSupplier condition, int seconds) {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + seconds + " s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
