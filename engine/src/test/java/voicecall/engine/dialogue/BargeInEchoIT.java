package voicecall.engine.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.engine.audio.AudioFrame;
import voicecall.engine.call.Call;
import voicecall.engine.call.ClockMetrics;
import voicecall.engine.call.FrameClock;
import voicecall.engine.call.HangupCause;
import voicecall.engine.stt.RecognitionSession;
import voicecall.engine.stt.Recognizer;
import voicecall.engine.stt.Transcript;
import voicecall.engine.testspeech.Flite;
import voicecall.engine.vad.SegmenterConfig;
import voicecall.engine.vad.SileroVad;
import voicecall.engine.vad.SpeechEvent;
import voicecall.engine.vad.SpeechSegmenter;
import voicecall.rag.Answer;
import voicecall.rag.Decision;
import voicecall.tts.audio.PcmAudio;

/**
 * The barge-in echo guard with real parts: Silero VAD, flite speech, a real call on a real-time
 * frame clock. The line returns every frame the engine sends, 20 dB down (a hybrid's echo), into
 * the call's inbound audio. That echo must not stop the reply; a caller's question in another flite
 * voice at the line's level, mixed into the same inbound audio, must stop it at once: the tick
 * after the barge-in sends silence. The recogniser is scripted (recognition is not under test
 * here).
 */
class BargeInEchoIT {

  private static final int RATE = 8000;
  private static final int FRAME = RATE / 50;

  private static final double ECHO_GAIN = 0.1; // -20 dB
  private static final String REPLY =
      "Your remaining data is shown on the home screen of the app, or text DATA to 1234 and we"
          + " reply with your balance. Roaming is on by default in over a hundred countries.";
  private static final String QUESTION = "How much data do I have left?";

  private static SileroVad vad;
  private static SpeechSegmenter segmenter;
  private static PcmAudio reply;
  private static PcmAudio question;
  private static List<AudioFrame> replyFrames;

  private final Scheduler ticks = Schedulers.newSingle("test-frame-clock");
  private final FrameClock clock = FrameClock.start(ticks, ClockMetrics.NONE);
  private final Call call = Call.open("echo", "en", RATE, ticks);
  private final AtomicInteger replyFramesSent = new AtomicInteger();
  private final AtomicInteger tick = new AtomicInteger();
  private final AtomicInteger bargeInTick = new AtomicInteger(-1);
  private final AtomicInteger replyFramesAfterBargeIn = new AtomicInteger();
  private final AtomicInteger cancelledReplies = new AtomicInteger();
  private final List<Turn> turns = new CopyOnWriteArrayList<>();
  private final AtomicInteger speechStarts = new AtomicInteger();
  private volatile int questionAtTick = Integer.MAX_VALUE;
  private volatile int queuedAfterLastTick;
  private volatile boolean replyQueued;

  @BeforeAll
  static void load() {
    Flite.assumeInstalled();
    vad = SileroVad.create(1);
    segmenter = SpeechSegmenter.create(vad, SegmenterConfig.defaults());
    reply = Flite.speak("slt", REPLY).resampleTo(RATE).trimSilence(-50, Duration.ZERO);
    replyFrames = AudioFrame.split(reply.samples(), RATE, 20, 0);
    question = Flite.speak("rms", QUESTION).resampleTo(RATE).trimSilence(-50, Duration.ZERO);
  }

  @AfterAll
  static void close() {
    if (vad != null) {
      vad.close();
    }
  }

  @AfterEach
  void stop() {
    call.end(HangupCause.CALLER);
    clock.dispose();
    ticks.dispose();
  }

  @Test
  void theRepliesOwnEchoDoesNotStopIt() {
    Disposable running = start();
    awaitUntil(() -> !call.isActive() || (replyQueued && call.queuedOutboundFrames() == 0), 60);
    // a second of the line after the reply: its echo's utterance ends and must be ignored
    int done = tick.get();
    awaitUntil(() -> tick.get() > done + 100, 30);
    running.dispose();

    assertThat(replyFramesSent).hasValue(frames(reply));
    assertThat(cancelledReplies).hasValue(0);
    assertThat(bargeInTick).hasValue(-1);
    assertThat(turns).as("the echo was not taken for a question").isEmpty();
    // the VAD did hear the echo as speech: the guard, not the VAD, kept the reply going
    assertThat(speechStarts.get()).isPositive();
  }

  @Test
  void aCallersQuestionAtLineLevelStopsTheReplyWithinOneTick() {
    questionAtTick = 100; // 2 s into the reply
    Disposable running = start();
    awaitUntil(() -> !turns.isEmpty(), 60);
    running.dispose();

    assertThat(bargeInTick.get()).as("barge-in happened").isGreaterThanOrEqualTo(questionAtTick);
    assertThat(replyFramesSent.get()).isLessThan(frames(reply));
    assertThat(cancelledReplies).hasValue(1);
    // the queue was cleared: the first tick after the barge-in sent silence, and no frame of the
    // interrupted reply went out after it
    assertThat(replyFramesAfterBargeIn).hasValue(0);
    assertThat(turns.get(0).heard()).isEqualTo("data left");
    System.out.printf(
        "barge-in %d ms after the question started (%d reply frames sent of %d)%n",
        (bargeInTick.get() - questionAtTick) * 20, replyFramesSent.get(), frames(reply));
  }

  private Disposable start() {
    clock.attach(
        call,
        frame -> {
          int t = tick.getAndIncrement();
          // the outbound queue stamps its own timestamps: a reply frame is known by its samples
          int next = replyFramesSent.get();
          boolean replyFrame =
              next < replyFrames.size()
                  && Arrays.equals(frame.samples(), replyFrames.get(next).samples());
          if (replyFrame) {
            replyFramesSent.incrementAndGet();
            if (bargeInTick.get() >= 0) {
              replyFramesAfterBargeIn.incrementAndGet();
            }
          }
          // Cleared between two ticks (by a segmenter event): the queue held several frames and
          // this tick sends silence. A reply running out drains one frame per tick instead.
          if (turns.isEmpty() && !replyFrame && queuedAfterLastTick >= 2) {
            bargeInTick.compareAndSet(-1, t - 1);
          }
          // the line: our frame 20 dB down, plus the caller's question once it starts
          short[] in = new short[FRAME];
          short[] out = frame.samples();
          for (int i = 0; i < FRAME; i++) {
            double s = out[i] * ECHO_GAIN;
            long q = ((long) t - questionAtTick) * FRAME + i;
            if (q >= 0 && q < question.length()) {
              s += question.sample((int) q);
            }
            in[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(s)));
          }
          int queuedBefore = call.queuedOutboundFrames();
          call.receiveAudio(AudioFrame.of(in, RATE, t * 20L));
          int queuedAfter = call.queuedOutboundFrames();
          // Cleared while this tick's inbound frame was handled (the per-frame barge-in check).
          if (turns.isEmpty() && queuedBefore >= 2 && queuedAfter == 0) {
            bargeInTick.compareAndSet(-1, t);
          }
          queuedAfterLastTick = queuedAfter;
          return true;
        });
    Conversation conversation =
        Conversation.create(
            frames ->
                segmenter
                    .segment(frames)
                    .doOnNext(
                        e -> {
                          if (e instanceof SpeechEvent.Started) {
                            speechStarts.incrementAndGet();
                          }
                        }),
            scripted(),
            t -> Mono.just(new Answer(Decision.ANSWER, "e1", "Fine.", 0.9, List.of(), 1)),
            id -> Optional.empty(),
            text ->
                text.equals("Hello.")
                    ? Flux.fromIterable(AudioFrame.split(reply.samples(), RATE, 20, 0))
                        .doOnCancel(cancelledReplies::incrementAndGet)
                        .doOnComplete(() -> replyQueued = true)
                    : Flux.fromIterable(AudioFrame.split(new short[RATE], RATE, 20, 0)),
            ConversationTest.PROMPTS,
            DialogueSettings.defaults(),
            turns::add,
            ticks);
    return conversation.run(call).subscribe();
  }

  private static Recognizer scripted() {
    return new Recognizer() {
      @Override
      public Mono<RecognitionSession> open() {
        return Mono.just(
            new RecognitionSession() {
              @Override
              public Mono<Transcript> recognize(Flux<PcmAudio> utterance) {
                return Mono.just(
                    new Transcript(
                        "data left", 0, 0.9, List.of(), List.of(), Duration.ZERO, Duration.ZERO));
              }

              @Override
              public void close() {}
            });
      }

      @Override
      public void close() {}
    };
  }

  private static int frames(PcmAudio audio) {
    return AudioFrame.split(audio.samples(), RATE, 20, 0).size();
  }

  private static void awaitUntil(BooleanSupplier condition, int seconds) {
    SpokenCall.awaitUntil(condition, seconds);
  }
}
