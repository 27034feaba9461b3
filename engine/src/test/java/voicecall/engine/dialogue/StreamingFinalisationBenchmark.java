package voicecall.engine.dialogue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import voicecall.engine.stt.PocketSphinxRecognizer;
import voicecall.engine.stt.RecognitionRecord;
import voicecall.engine.stt.Recognizers;
import voicecall.engine.stt.Transcript;
import voicecall.engine.vad.SegmenterConfig;
import voicecall.engine.vad.SileroVad;
import voicecall.engine.vad.SpeechEvent;
import voicecall.engine.vad.SpeechSegmenter;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.audio.PcmAudio;

/**
 * How long a caller waits, after the end of speech, for the transcript, in the real call flow:
 * spoken questions of the evaluation set (flite voices, telephone quality) asked one after another
 * in one call on a real-time frame clock, through Silero VAD, {@link Conversation} and
 * PocketSphinx. Run once with the segmenter's utterance audio streamed while spoken ({@code
 * segmentWithAudio}, the product) and once with the whole utterance handed over at the end ({@code
 * segment}, as before), it prints per mode the percentiles of: the speech-end mark to the
 * transcript (the turn's {@code recognised - speechEnded}), the recogniser's own record ({@link
 * RecognitionRecord#recognitionTime()}, from the end of the audio to the transcript) and {@link
 * Transcript#finalisation()}.
 *
 * <p>A benchmark main, not a test: {@code java -cp <test classpath>
 * voicecall.engine.dialogue.StreamingFinalisationBenchmark [questions]} from {@code engine/}.
 */
public final class StreamingFinalisationBenchmark {

  private StreamingFinalisationBenchmark() {}

  /**
   * Runs both modes.
   *
   * @param args the number of questions (default 30)
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    String[] voices = {"slt", "rms", "awb", "kal16"};
    List<String> texts = SpokenCall.questions(n);
    List<PcmAudio> questions = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      questions.add(SpokenCall.telephone(voices[i % voices.length], texts.get(i)));
    }
    try (SileroVad vad = SileroVad.create(1);
        PocketSphinxRecognizer ps =
            PocketSphinxRecognizer.create(
                KnowledgeBase.build(1, SpokenCall.faq()),
                PocketSphinxRecognizer.SYSTEM_MODEL,
                new PocketSphinxRecognizer.Settings(
                    2, 1, Duration.ofSeconds(5), 3, Path.of("target", "stt-work-bench")))) {
      SpeechSegmenter segmenter = SpeechSegmenter.create(vad, SegmenterConfig.defaults());
      // a first call warms the decoder and the JIT; its numbers are not kept
      run(
          "warm-up",
          questions.subList(0, Math.min(4, questions.size())),
          segmenter::segmentWithAudio,
          ps,
          false);
      run("whole utterance at the end (before)", questions, segmenter::segment, ps, true);
      run("streamed while spoken (after)", questions, segmenter::segmentWithAudio, ps, true);
    }
  }

  private static void run(
      String mode,
      List<PcmAudio> questions,
      Function<Flux<PcmAudio>, Flux<SpeechEvent>> segment,
      PocketSphinxRecognizer ps,
      boolean print) {
    List<RecognitionRecord> records = new CopyOnWriteArrayList<>();
    SpokenCall call =
        SpokenCall.start(
            questions,
            PcmAudio.silence(Duration.ofMillis(500), SpokenCall.RATE),
            0,
            segment,
            Recognizers.measured(ps, "pocketsphinx", records::add));
    try {
      call.awaitTurns(questions.size(), 60 + 10 * questions.size());
    } finally {
      call.hangUp();
    }
    if (!print) {
      return;
    }
    List<Duration> endToTranscript =
        call.turns.stream().map(t -> Duration.between(t.speechEnded(), t.recognised())).toList();
    List<Duration> recorded = records.stream().map(RecognitionRecord::recognitionTime).toList();
    List<Duration> finalisation =
        call.recognitions.stream()
            .map(r -> r.transcript)
            .filter(t -> t != null)
            .map(t -> t.finalisation())
            .toList();
    System.out.printf(Locale.ROOT, "%n%s: %d turns%n", mode, call.turns.size());
    print("speech-end mark -> transcript", endToTranscript);
    print("RecognitionRecord.recognitionTime", recorded);
    print("Transcript.finalisation", finalisation);
  }

  private static void print(String what, List<Duration> values) {
    List<Duration> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    System.out.printf(
        Locale.ROOT,
        "  %-36s n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms%n",
        what,
        sorted.size(),
        ms(percentile(sorted, 50)),
        ms(percentile(sorted, 95)),
        ms(percentile(sorted, 99)),
        ms(sorted.get(sorted.size() - 1)));
  }

  private static Duration percentile(List<Duration> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double ms(Duration d) {
    return d.toNanos() / 1e6;
  }
}
