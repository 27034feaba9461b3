package voicecall.engine.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static voicecall.engine.vad.TestAudio.millis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import voicecall.engine.testspeech.Flite;
import voicecall.engine.vad.SpeechEvent.EndReason;
import voicecall.engine.vad.SpeechEvent.Ended;
import voicecall.tts.audio.PcmAudio;

/**
 * End-of-speech detection with the real Silero model on flite speech (voices built from real
 * recordings), 8 kHz telephone audio in 20 ms frames as Asterisk sends it. True boundaries are
 * where the synthesised speech was placed in the signal.
 */
class SpeechSegmenterIT {

  private static final int RATE = 8000;
  private static final String QUESTION = "How much does roaming cost when I travel to Japan?";
  private static final Duration START_TOLERANCE = millis(200);
  private static final Duration END_TOLERANCE = millis(150);

  /** In noise the model holds on a little longer after the last word (measured up to +278 ms). */
  private static final Duration NOISY_END_TOLERANCE = millis(320);

  private static SileroVad vad;
  private static SpeechSegmenter segmenter;

  @BeforeAll
  static void load() {
    vad = SileroVad.create(2);
    segmenter = SpeechSegmenter.create(vad, SegmenterConfig.defaults());
  }

  @AfterAll
  static void close() {
    vad.close();
  }

  private static List<SpeechEvent> segment(PcmAudio audio) {
    return segment(segmenter, audio);
  }

  private static List<SpeechEvent> segment(SpeechSegmenter segmenter, PcmAudio audio) {
    return segmenter
        .segment(TestAudio.frames(audio, 160))
        .collectList()
        .blockOptional(Duration.ofSeconds(60))
        .orElseThrow();
  }

  private static List<Ended> ended(List<SpeechEvent> events) {
    return events.stream().filter(Ended.class::isInstance).map(Ended.class::cast).toList();
  }

  private static Duration at(PcmAudio before) {
    return before.duration();
  }

  private static void assertOneUtterance(
      List<SpeechEvent> events, Duration trueStart, Duration trueEnd) {
    assertOneUtterance(events, trueStart, trueEnd, END_TOLERANCE);
  }

  private static void assertOneUtterance(
      List<SpeechEvent> events, Duration trueStart, Duration trueEnd, Duration endTolerance) {
    assertThat(events).as("events %s", events).hasSize(2);
    assertThat(events.get(0)).isInstanceOf(SpeechEvent.Started.class);
    Ended ended = (Ended) events.get(1);
    assertThat(ended.reason()).isEqualTo(EndReason.SILENCE);
    assertThat(ended.start())
        .isBetween(trueStart.minus(START_TOLERANCE), trueStart.plus(START_TOLERANCE));
    assertThat(ended.end()).isBetween(trueEnd.minus(endTolerance), trueEnd.plus(endTolerance));
    assertThat(audioStart(ended))
        .as("utterance audio begins before the speech")
        .isLessThanOrEqualTo(trueStart);
  }

  /** Where the utterance audio begins: it runs up to the decision, 11 windows after the end. */
  private static Duration audioStart(Ended ended) {
    return ended.end().plus(millis(352)).minus(ended.audio().duration());
  }

  @Test
  void cleanSpeechIsOneUtteranceWithinToleranceOfItsTrueBoundaries() {
    Flite.assumeInstalled();
    for (String voice : List.of("slt", "rms", "awb", "kal16")) {
      PcmAudio lead = TestAudio.silence(1200, RATE);
      PcmAudio speech = TestAudio.speak(voice, QUESTION, RATE);
      PcmAudio audio = TestAudio.join(lead, speech, TestAudio.silence(1500, RATE));
      assertOneUtterance(segment(audio), at(lead), at(lead).plus(speech.duration()));
    }
  }

  @Test
  void speechInWhiteOrPinkNoiseAt15DbSnrIsStillOneUtterance() {
    Flite.assumeInstalled();
    for (String voice : List.of("rms", "kal16")) {
      PcmAudio lead = TestAudio.silence(1200, RATE);
      PcmAudio speech = TestAudio.speak(voice, QUESTION, RATE);
      PcmAudio clean = TestAudio.join(lead, speech, TestAudio.silence(1500, RATE));
      double level = TestAudio.activeLevel(speech);
      for (PcmAudio noise :
          List.of(
              TestAudio.whiteNoise(10_000, RATE, -20, 11),
              TestAudio.pinkNoise(10_000, RATE, -20, 12))) {
        PcmAudio noisy = TestAudio.addNoise(clean, noise, level, 15);
        assertOneUtterance(
            segment(noisy), at(lead), at(lead).plus(speech.duration()), NOISY_END_TOLERANCE);
      }
    }
  }

  @Test
  void dtmfTonesAndLineSilenceAreNotSpeech() {
    PcmAudio keys = TestAudio.dtmf("0123456789*#", 120, 80, RATE);
    PcmAudio heldKeys = TestAudio.dtmf("1#0", 1500, 300, RATE);
    PcmAudio silence = TestAudio.silence(10_000, RATE);
    PcmAudio hiss = TestAudio.whiteNoise(10_000, RATE, -60, 21);
    for (PcmAudio audio : List.of(keys, heldKeys, silence, hiss)) {
      assertThat(segment(audio)).as("events of %s", audio).isEmpty();
    }
  }

  @Test
  void twoQuestionsWithAPauseAreTwoUtterancesAndKeysBetweenThemAreIgnored() {
    Flite.assumeInstalled();
    PcmAudio lead = TestAudio.silence(800, RATE);
    PcmAudio first = TestAudio.speak("slt", "I lost my phone.", RATE);
    PcmAudio pause =
        TestAudio.join(
            TestAudio.silence(500, RATE),
            TestAudio.dtmf("5", 150, 0, RATE),
            TestAudio.silence(500, RATE));
    PcmAudio second = TestAudio.speak("awb", "Can you block my SIM card?", RATE);
    PcmAudio audio = TestAudio.join(lead, first, pause, second, TestAudio.silence(1000, RATE));

    List<Ended> utterances = ended(segment(audio));
    assertThat(utterances).hasSize(2);
    Duration secondStart = at(lead).plus(first.duration()).plus(pause.duration());
    assertThat(utterances.get(0).start())
        .isBetween(at(lead).minus(START_TOLERANCE), at(lead).plus(START_TOLERANCE));
    assertThat(utterances.get(0).end())
        .isBetween(
            at(lead).plus(first.duration()).minus(END_TOLERANCE),
            at(lead).plus(first.duration()).plus(END_TOLERANCE));
    assertThat(utterances.get(1).start())
        .isBetween(secondStart.minus(START_TOLERANCE), secondStart.plus(START_TOLERANCE));
    assertThat(audioStart(utterances.get(0))).isLessThanOrEqualTo(at(lead));
    assertThat(audioStart(utterances.get(1))).isLessThanOrEqualTo(secondStart);
  }

  @Test
  void aMonologueLongerThanTheMaximumIsCut() {
    Flite.assumeInstalled();
    List<PcmAudio> parts = new ArrayList<>();
    parts.add(TestAudio.silence(500, RATE));
    for (String sentence :
        List.of(
            "My bill is much higher than usual this month",
            "and I do not understand the extra charges",
            "because I did not travel anywhere")) {
      parts.add(TestAudio.speak("kal16", sentence, RATE));
      parts.add(TestAudio.silence(100, RATE));
    }
    parts.add(TestAudio.silence(1500, RATE));
    PcmAudio audio = TestAudio.join(parts.toArray(PcmAudio[]::new));
    SpeechSegmenter shortTurns =
        SpeechSegmenter.create(vad, SegmenterConfig.defaults().withMaxUtterance(millis(3000)));

    List<Ended> utterances = ended(segment(shortTurns, audio));
    assertThat(utterances).hasSizeGreaterThanOrEqualTo(2);
    assertThat(utterances.get(0).reason()).isEqualTo(EndReason.MAX_LENGTH);
    assertThat(utterances.get(0).length()).isEqualTo(millis(3008));
    assertThat(utterances.get(utterances.size() - 1).reason()).isEqualTo(EndReason.SILENCE);
  }

  @Test
  void sixteenKilohertzAudioWorksToo() {
    Flite.assumeInstalled();
    PcmAudio lead = TestAudio.silence(1000, 16000);
    PcmAudio speech = TestAudio.speak("slt", QUESTION, 16000);
    PcmAudio audio = TestAudio.join(lead, speech, TestAudio.silence(1200, 16000));
    List<SpeechEvent> events =
        segmenter.segment(TestAudio.frames(audio, 320)).collectList().blockOptional().orElseThrow();
    assertOneUtterance(events, at(lead), at(lead).plus(speech.duration()));
  }

  @Test
  void manyCallsAtOnceGetTheSameAnswersAsOneAlone() {
    Flite.assumeInstalled();
    PcmAudio audio =
        TestAudio.join(
            TestAudio.silence(700, RATE),
            TestAudio.speak("rms", "I want to talk to a person.", RATE),
            TestAudio.silence(1200, RATE));
    List<Ended> alone = ended(segment(audio));
    assertThat(alone).hasSize(1);

    List<List<Ended>> together =
        Flux.range(0, 12)
            .flatMap(call -> segmenter.segment(TestAudio.frames(audio, 160)).collectList(), 12)
            .map(SpeechSegmenterIT::ended)
            .collectList()
            .blockOptional(Duration.ofSeconds(60))
            .orElseThrow();
    assertThat(together).hasSize(12);
    for (List<Ended> call : together) {
      assertThat(call).hasSize(1);
      assertThat(call.get(0).start()).isEqualTo(alone.get(0).start());
      assertThat(call.get(0).end()).isEqualTo(alone.get(0).end());
      assertThat(call.get(0).audio()).isEqualTo(alone.get(0).audio());
    }
  }
}
