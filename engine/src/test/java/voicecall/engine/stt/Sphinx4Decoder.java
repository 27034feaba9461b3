package voicecall.engine.stt;

import edu.cmu.sphinx.api.AbstractSpeechRecognizer;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.result.WordResult;
import edu.cmu.sphinx.util.LogMath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One Sphinx4 recogniser (pure Java, about 65 MB of heap) with a domain trigram model. Not
 * thread-safe, and its results depend on the utterances it heard before (live cepstral mean), so
 * its owner confines it to one call at a time. The search is allocated once, at construction; each
 * utterance is one 16 kHz input stream, decoded as the stream delivers it.
 *
 * <p>A fresh recogniser must first hear speech: Sphinx4's {@code LiveCMN} estimates its initial
 * mean from the first stream's speech frames and, when that stream had none, fails with a {@code
 * NullPointerException} on every later stream. {@link #create} therefore decodes a primer.
 */
final class Sphinx4Decoder extends AbstractSpeechRecognizer {

  /** The en-us acoustic model inside {@code sphinx4-data}. */
  static final String MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us";

  /** Sphinx4's default (20000) is about 5× slower at the same WER (SPEECH.md). */
  static final int ABSOLUTE_BEAM_WIDTH = 2000;

  private static final int RATE = 16000;

  private final int nBest;

  private Sphinx4Decoder(Context context, int nBest) throws IOException {
    super(context);
    this.nBest = nBest;
  }

  /**
   * Builds a recogniser (blocking, 1–2 s), allocates its search and decodes {@code primer}.
   *
   * @param primer 16 kHz speech for the cepstral mean; must contain speech
   */
  static Sphinx4Decoder create(Path languageModel, Path dictionary, int nBest, short[] primer) {
    try {
      // Sphinx4 takes every system property as a global setting when a Context is built, before
      // any component exists. Setting them afterwards with setGlobalProperty re-configures the
      // components already built, and the front end's AutoCepstrum then loses its input (NPE at
      // the first frame). Its default INFO level logs every frame window and result.
      System.setProperty("logLevel", "WARNING");
      System.setProperty("absoluteBeamWidth", String.valueOf(ABSOLUTE_BEAM_WIDTH));
      Configuration configuration = new Configuration();
      configuration.setAcousticModelPath(MODEL);
      configuration.setDictionaryPath(dictionary.toAbsolutePath().toString());
      configuration.setLanguageModelPath(languageModel.toAbsolutePath().toString());
      configuration.setSampleRate(RATE);
      Context context = new Context(configuration);
      Sphinx4Decoder decoder = new Sphinx4Decoder(context, nBest);
      decoder.recognizer.allocate();
      Transcript primed = decoder.decode(new PcmStream(primer), () -> System.nanoTime());
      if (primed.isEmpty()) {
        throw new IllegalStateException("the Sphinx4 primer was not recognised as speech");
      }
      return decoder;
    } catch (IOException e) {
      throw new UncheckedIOException("could not load the Sphinx4 model", e);
    }
  }

  /**
   * Decodes one utterance: every speech segment Sphinx4's own endpointer finds in {@code audio} (16
   * kHz, signed 16-bit little-endian), joined.
   *
   * @param audio the utterance; blocks this thread until it ends
   * @param endOfAudio when the last sample was read (nanoTime), for the finalisation time
   */
  Transcript decode(InputStream audio, LongSupplier endOfAudio) {
    context.setSpeechSource(audio);
    List<SpeechResult> segments = new ArrayList<>();
    for (SpeechResult r = getResult(); r != null; r = getResult()) {
      segments.add(r);
    }
    List<String> texts = new ArrayList<>();
    List<WordHypothesis> words = new ArrayList<>();
    float score = 0;
    double logConfidence = 0;
    for (SpeechResult r : segments) {
      String text = SphinxDecoder.cleanHypothesis(r.getHypothesis());
      if (text.isEmpty()) {
        continue;
      }
      texts.add(text);
      score += r.getResult().getBestToken().getScore();
      for (WordResult w : r.getWords()) {
        String spelling = w.getWord().getSpelling();
        if (w.isFiller() || SphinxDecoder.isFiller(spelling)) {
          continue;
        }
        double posterior = clamp(LogMath.getLogMath().logToLinear((float) w.getConfidence()));
        logConfidence += Math.log(Math.max(posterior, 1e-300));
        words.add(
            new WordHypothesis(
                SphinxDecoder.baseForm(spelling),
                Duration.ofMillis(w.getTimeFrame().getStart()),
                Duration.ofMillis(Math.max(w.getTimeFrame().getStart(), w.getTimeFrame().getEnd())),
                posterior));
      }
    }
    String text = String.join(" ", texts);
    List<String> alternatives = text.isEmpty() ? List.of() : alternatives(segments, text);
    long done = System.nanoTime();
    return new Transcript(
        text,
        (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, score)),
        text.isEmpty() ? 0 : clamp(Math.exp(logConfidence)),
        words,
        alternatives,
        Duration.ZERO,
        Duration.ofNanos(Math.max(0, done - endOfAudio.getAsLong())));
  }

  /**
   * The n-best list without the best hypothesis. With one speech segment it is that segment's
   * lattice n-best; with several, the k-th alternative replaces each segment by its k-th n-best
   * entry (or keeps its best when it has fewer).
   */
  private List<String> alternatives(List<SpeechResult> segments, String best) {
    if (nBest <= 1) {
      return List.of();
    }
    List<List<String>> perSegment = new ArrayList<>();
    for (SpeechResult r : segments) {
      String top = SphinxDecoder.cleanHypothesis(r.getHypothesis());
      if (top.isEmpty()) {
        continue;
      }
      Set<String> own = new LinkedHashSet<>();
      for (String h : r.getNbest(4 * nBest)) {
        String cleaned = SphinxDecoder.cleanHypothesis(h);
        if (!cleaned.isEmpty() && !cleaned.equals(top)) {
          own.add(cleaned);
        }
      }
      List<String> ranked = new ArrayList<>();
      ranked.add(top);
      ranked.addAll(own);
      perSegment.add(ranked);
    }
    Set<String> out = new LinkedHashSet<>();
    for (int k = 1; k < nBest + 4 && out.size() < nBest - 1; k++) {
      List<String> parts = new ArrayList<>();
      for (List<String> ranked : perSegment) {
        parts.add(ranked.get(Math.min(k, ranked.size() - 1)));
      }
      String alternative = String.join(" ", parts);
      if (!alternative.equals(best)) {
        out.add(alternative);
      }
    }
    return List.copyOf(out);
  }

  private static double clamp(double p) {
    return Double.isNaN(p) ? 0 : Math.max(0, Math.min(1, p));
  }

  /** A finished 16 kHz recording as the stream a decoder reads. */
  static final class PcmStream extends InputStream {
    private final byte[] bytes;
    private int position;

    PcmStream(short[] pcm) {
      bytes = new byte[2 * pcm.length];
      for (int i = 0; i < pcm.length; i++) {
        bytes[2 * i] = (byte) pcm[i];
        bytes[2 * i + 1] = (byte) (pcm[i] >> 8);
      }
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = Math.min(len, bytes.length - position);
      System.arraycopy(bytes, position, b, off, n);
      position += n;
      return n;
    }
  }
}
