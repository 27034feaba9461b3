package voicecall.engine.dialogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import voicecall.engine.stt.PocketSphinxRecognizer;
import voicecall.engine.stt.Transcript;
import voicecall.engine.testspeech.Flite;
import voicecall.engine.vad.SegmenterConfig;
import voicecall.engine.vad.SileroVad;
import voicecall.engine.vad.SpeechEvent;
import voicecall.engine.vad.SpeechSegmenter;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.audio.PcmAudio;

/**
 * Recognition while the caller speaks, in the real call flow: Silero VAD, PocketSphinx and flite
 * speech on a real-time frame clock. The recognition session is fed the utterance while it is
 * spoken, so when the segmenter reports the end of speech it already holds the whole utterance; the
 * turn's transcript is the one of exactly the ended utterance's audio; noise has its recognition
 * cancelled and the reply's echo is never decoded, and both leave the session free for the next
 * question.
 */
class StreamingRecognitionIT {

  private static final String QUESTION_1 = "how do I pay my bill";
  private static final String QUESTION_2 = "my phone was stolen";

  private static SileroVad vad;
  private static PocketSphinxRecognizer recognizer;
  private static PcmAudio question1;
  private static PcmAudio question2;
  private static PcmAudio cough;
  private static PcmAudio greeting;

  private @Nullable SpokenCall call;

  @BeforeAll
  static void load() {
    boolean sphinx = Files.isDirectory(PocketSphinxRecognizer.SYSTEM_MODEL.resolve("en-us"));
    if ("true".equals(System.getenv("CI"))) {
      assertThat(Flite.installed() && sphinx).as("flite and PocketSphinx in CI").isTrue();
    }
    assumeTrue(Flite.installed() && sphinx, "flite or PocketSphinx is not installed");
    vad = SileroVad.create(1);
    recognizer =
        PocketSphinxRecognizer.create(
            KnowledgeBase.build(1, SpokenCall.faq()),
            PocketSphinxRecognizer.SYSTEM_MODEL,
            new PocketSphinxRecognizer.Settings(
                2, 1, Duration.ofSeconds(5), 3, Path.of("target", "stt-work-streaming")));
    question1 = SpokenCall.telephone("rms", QUESTION_1);
    question2 = SpokenCall.telephone("slt", QUESTION_2);
    cough = SpokenCall.telephone("awb", "yes");
    greeting =
        SpokenCall.telephone(
            "slt", "Hello, this is the phone help line. Ask me about bills, plans or roaming.");
  }

  private static SegmenterConfig minUtterance(Duration min) {
    SegmenterConfig d = SegmenterConfig.defaults();
    return new SegmenterConfig(
        d.startThreshold(),
        d.endThreshold(),
        d.minSpeech(),
        d.trailingSilence(),
        min,
        d.maxUtterance(),
        d.preRoll());
  }

  @AfterAll
  static void close() {
    if (recognizer != null) {
      recognizer.close();
    }
    if (vad != null) {
      vad.close();
    }
  }

  @AfterEach
  void hangUp() {
    SpokenCall c = call;
    if (c != null) {
      c.hangUp();
    }
  }

  /** A call whose segmenter streams the utterances' audio; hung up after the test. */
  private SpokenCall start(
      SegmenterConfig config, PcmAudio greetingAudio, double echoGain, PcmAudio... questions) {
    SpeechSegmenter segmenter = SpeechSegmenter.create(vad, config);
    SpokenCall c =
        SpokenCall.start(
            List.of(questions), greetingAudio, echoGain, segmenter::segmentWithAudio, recognizer);
    call = c;
    return c;
  }

  private static PcmAudio quietGreeting() {
    return PcmAudio.silence(Duration.ofMillis(500), SpokenCall.RATE);
  }

  @Test
  void theSessionHasTheUtteranceBeforeTheEndOfSpeechAndTheTurnUsesItsTranscript() {
    SpokenCall c = start(SegmenterConfig.defaults(), quietGreeting(), 0, question1, question2);
    c.awaitTurns(2, 60);

    assertThat(c.ends).hasSize(2);
    assertThat(c.recognitions).hasSize(2);
    for (int i = 0; i < 2; i++) {
      SpokenCall.EndOfSpeech end = c.ends.get(i);
      SpokenCall.Recognition r = c.recognitions.get(i);
      long total = end.ended().audio().length();
      // fed while spoken: when the end of speech was reported, before the dialogue handled it,
      // the session already had the whole utterance; only finalisation was left
      assertThat(end.recognition()).isSameAs(r);
      assertThat(end.receivedThen())
          .as("samples the session had when the end of speech was reported, of %d", total)
          .isEqualTo(total);
      assertThat(r.completed).isTrue();
      // exactly the ended utterance's audio, in order, and the turn used its transcript
      assertThat(r.audio()).isEqualTo(end.ended().audio().samples());
      Transcript t = Objects.requireNonNull(r.transcript);
      assertThat(c.turns.get(i).heard()).isEqualTo(t.text());
      System.out.printf(
          "utterance %d: %d of %d samples fed before the end of speech; heard '%s'%n",
          i, end.receivedThen(), total, t.text());
    }
    assertThat(c.turns.get(0).heard()).contains("pay", "bill");
    assertThat(c.turns.get(1).heard()).contains("stolen");
  }

  @Test
  void aRejectedBurstCancelsItsRecognitionAndTheNextQuestionIsRecognised() {
    // "yes" (about 0.4 s) is shorter than this minimum utterance; the questions are longer
    SpokenCall c =
        start(minUtterance(Duration.ofMillis(900)), quietGreeting(), 0, cough, question1);
    c.awaitTurns(1, 60);
    c.awaitSaidAll(30);

    assertThat(c.events).filteredOn(SpeechEvent.Rejected.class::isInstance).hasSize(1);
    assertThat(c.recognitions).hasSize(2);
    SpokenCall.Recognition rejected = c.recognitions.get(0);
    assertThat(rejected.cancelled).isTrue();
    assertThat(rejected.transcript).isNull();
    assertThat(rejected.received.get()).isPositive();
    SpokenCall.Recognition asked = c.recognitions.get(1);
    assertThat(asked.error).isNull();
    assertThat(c.turns).hasSize(1);
    assertThat(c.turns.get(0).heard()).contains("pay", "bill");
  }

  @Test
  void theRepliesEchoIsNeverDecodedAndTheQuestionAfterItIsRecognised() {
    SpokenCall c = start(SegmenterConfig.defaults(), greeting, 0.1, question1);
    c.awaitTurns(1, 60);

    // the greeting's echo (20 dB down) was heard as speech, taken for the echo and never decoded:
    // the session recognised the question only
    long starts = c.events.stream().filter(SpeechEvent.Started.class::isInstance).count();
    assertThat(starts).as("the echo and the question were heard as speech").isGreaterThan(1);
    assertThat(c.recognitions).hasSize(1);
    assertThat(c.recognitions.get(0).error).isNull();
    assertThat(c.turns).hasSize(1);
    assertThat(c.turns.get(0).heard()).contains("pay", "bill");
  }
}
