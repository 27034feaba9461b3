package voicecall.engine.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static voicecall.engine.vad.ScriptedDetector.windows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;
import voicecall.engine.vad.SpeechEvent.Audio;
import voicecall.engine.vad.SpeechEvent.EndReason;
import voicecall.engine.vad.SpeechEvent.Ended;
import voicecall.engine.vad.SpeechEvent.Rejected;
import voicecall.engine.vad.SpeechEvent.Started;
import voicecall.tts.audio.PcmAudio;

/**
 * The utterance's audio while it is spoken ({@link SpeechSegmenter#segmentWithAudio}): the pieces
 * between a start and an end are exactly the ended utterance's audio, and the other events are
 * those of {@link SpeechSegmenter#segment}.
 */
class SpeechSegmenterAudioTest {

  private static final int WINDOW = 256;

  private final ScriptedDetector detector = new ScriptedDetector();
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();

  /**
   * The scripted audio with every sample but each window's first (the score) replaced by a running
   * count, so a lost, repeated or reordered piece changes the samples.
   */
  private static PcmAudio numbered(PcmAudio... parts) {
    short[] samples = TestAudio.join(parts).samples();
    for (int i = 0; i < samples.length; i++) {
      if (i % WINDOW != 0) {
        samples[i] = (short) (1 + i % 30_000);
      }
    }
    return PcmAudio.of(samples, 8000);
  }

  private List<SpeechEvent> run(
      SegmenterConfig config, PcmAudio audio, boolean withAudio, int... frameSizes) {
    SpeechSegmenter segmenter = SpeechSegmenter.create(detector, config, clock);
    Flux<PcmAudio> frames = TestAudio.frames(audio, frameSizes);
    return (withAudio ? segmenter.segmentWithAudio(frames) : segmenter.segment(frames))
        .collectList()
        .blockOptional()
        .orElseThrow();
  }

  /**
   * Checks the stream's shape (pieces only inside an utterance, contiguous in audio time) and
   * returns, per ended utterance, its pieces joined.
   */
  private static List<short[]> streamedUtterances(List<SpeechEvent> events) {
    List<short[]> utterances = new ArrayList<>();
    short[] current = null;
    Duration next = null;
    for (SpeechEvent e : events) {
      if (e instanceof Started) {
        assertThat(current).as("a start inside an utterance").isNull();
        current = new short[0];
        next = null;
      } else if (e instanceof Audio a) {
        if (current == null) {
          throw new AssertionError("audio outside an utterance: " + a);
        }
        if (next != null) {
          assertThat(a.start()).as("pieces are contiguous").isEqualTo(next);
        }
        next = a.start().plus(a.audio().duration());
        short[] joined = java.util.Arrays.copyOf(current, current.length + a.audio().length());
        System.arraycopy(a.audio().samples(), 0, joined, current.length, a.audio().length());
        current = joined;
      } else {
        assertThat(current).as("an end without a start").isNotNull();
        if (e instanceof Ended) {
          utterances.add(current);
        }
        current = null;
      }
    }
    assertThat(current).as("an utterance left open").isNull();
    return utterances;
  }

  private void assertStreamedAudioIsTheEndedAudio(
      SegmenterConfig config, PcmAudio audio, int expectedEnded, int... frameSizes) {
    List<SpeechEvent> withAudio = run(config, audio, true, frameSizes);
    List<SpeechEvent> plain = run(config, audio, false, frameSizes);
    assertThat(withAudio.stream().filter(e -> !(e instanceof Audio)).toList())
        .as("the same decisions as without audio")
        .isEqualTo(plain);
    List<Ended> ended =
        withAudio.stream().filter(Ended.class::isInstance).map(Ended.class::cast).toList();
    List<short[]> streamed = streamedUtterances(withAudio);
    assertThat(ended).hasSize(expectedEnded);
    assertThat(streamed).hasSize(expectedEnded);
    for (int i = 0; i < expectedEnded; i++) {
      assertThat(streamed.get(i)).as("utterance %d", i).isEqualTo(ended.get(i).audio().samples());
    }
  }

  @Test
  void theStreamedPiecesAreExactlyTheEndedAudio() {
    PcmAudio audio =
        numbered(
            windows(12, 0.02),
            windows(30, 0.9),
            windows(20, 0.05),
            windows(40, 0.8),
            windows(15, 0));
    assertStreamedAudioIsTheEndedAudio(SegmenterConfig.defaults(), audio, 2, 160);
    assertStreamedAudioIsTheEndedAudio(SegmenterConfig.defaults(), audio, 2, 7, 1000, 511);
  }

  @Test
  void thePreRollAndTheSpeechSoFarComeAtTheStartThenOneWindowAtATime() {
    List<SpeechEvent> events =
        run(
            SegmenterConfig.defaults(),
            numbered(windows(10, 0.02), windows(30, 0.9), windows(20, 0.05)),
            true,
            160);
    assertThat(events.get(0)).isInstanceOf(Started.class);
    Audio first = (Audio) events.get(1);
    // defaults: 8 pre-roll windows and 3 windows of speech before the start decision
    assertThat(first.audio().length()).isEqualTo((8 + 3) * WINDOW);
    assertThat(first.start()).isEqualTo(TestAudio.millis(32L * 2));
    List<SpeechEvent> rest = events.subList(2, events.size() - 1);
    assertThat(rest).allSatisfy(e -> assertThat(((Audio) e).audio().length()).isEqualTo(WINDOW));
    // the rest of the speech (27 windows) and the trailing silence (11 windows)
    assertThat(rest).hasSize(27 + 11);
    assertThat(events.get(events.size() - 1)).isInstanceOf(Ended.class);
  }

  @Test
  void aMonologueCutAtTheMaximumStreamsEachPieceAsItsOwnUtterance() {
    SegmenterConfig config = SegmenterConfig.defaults().withMaxUtterance(Duration.ofMillis(3200));
    PcmAudio audio = numbered(windows(5, 0), windows(220, 0.95), windows(12, 0));
    assertStreamedAudioIsTheEndedAudio(config, audio, 3, 160);
    List<SpeechEvent> events = run(config, audio, true, 160);
    assertThat(
            events.stream().filter(Ended.class::isInstance).map(e -> ((Ended) e).reason()).toList())
        .containsExactly(EndReason.MAX_LENGTH, EndReason.MAX_LENGTH, EndReason.SILENCE);
  }

  @Test
  void aRejectedBurstStreamsAudioThenTheRejection() {
    List<SpeechEvent> events =
        run(
            SegmenterConfig.defaults(),
            numbered(windows(2, 0), windows(4, 0.9), windows(12, 0)),
            true,
            160);
    assertThat(events.get(0)).isInstanceOf(Started.class);
    assertThat(events.get(events.size() - 1)).isInstanceOf(Rejected.class);
    assertThat(events.subList(1, events.size() - 1)).isNotEmpty().allMatch(Audio.class::isInstance);
    assertThat(streamedUtterances(events)).isEmpty();
  }

  @Test
  void speechCutByTheEndOfTheStreamEndsWithAllItsAudioStreamed() {
    PcmAudio audio = numbered(windows(3, 0), windows(20, 0.9));
    assertStreamedAudioIsTheEndedAudio(SegmenterConfig.defaults(), audio, 1, 240);
    List<SpeechEvent> events = run(SegmenterConfig.defaults(), audio, true, 240);
    assertThat(((Ended) events.get(events.size() - 1)).reason()).isEqualTo(EndReason.STREAM_END);
  }

  @Test
  void silenceGivesNoEventsAtAll() {
    assertThat(run(SegmenterConfig.defaults(), numbered(windows(40, 0.1)), true, 160)).isEmpty();
  }
}
