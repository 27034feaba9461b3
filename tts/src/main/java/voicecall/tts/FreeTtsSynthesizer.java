package voicecall.tts;

import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.audio.AudioPlayer;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sound.sampled.AudioFormat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import voicecall.tts.audio.PcmAudio;

/**
 * FreeTTS, in process, English only, voice {@code kevin16} (16 kHz). A FreeTTS voice is not
 * thread-safe, so each worker thread of a bounded pool owns one voice; voices are allocated one at
 * a time because allocation shares FreeTTS's lexicon loading.
 */
final class FreeTtsSynthesizer implements Synthesizer {

  static final String VOICE = "kevin16";
  private static final String VOICE_DIRECTORY =
      "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory";
  private static final Object ALLOCATION_LOCK = new Object();

  private final BoundedWorkers workers;
  private final ThreadLocal<com.sun.speech.freetts.@Nullable Voice> voices = new ThreadLocal<>();

  private final int workerCount;
  private final AtomicInteger voicesAllocated = new AtomicInteger();

  FreeTtsSynthesizer(int workers, int queueCapacity) {
    this.workers = new BoundedWorkers("freetts", workers, queueCapacity);
    this.workerCount = workers;
  }

  /**
   * Gives every worker its voice: one task per worker, each waiting at a barrier until all have
   * started, so no worker can take two of them.
   */
  @Override
  public Mono<Void> warmUp() {
    CyclicBarrier allStarted = new CyclicBarrier(workerCount);
    return Flux.range(0, workerCount)
        .flatMap(
            i ->
                Mono.fromCallable(
                        () -> {
                          allStarted.await(30, TimeUnit.SECONDS);
                          return speak("Ready.");
                        })
                    .subscribeOn(workers.scheduler()),
            workerCount)
        .then();
  }

  @Override
  public String name() {
    return "freetts";
  }

  @Override
  public boolean supports(Language language) {
    return language == Language.ENGLISH;
  }

  @Override
  public Mono<PcmAudio> synthesize(String text, Voice voice) {
    if (!supports(voice.language())) {
      return Mono.error(new SynthesisException("freetts speaks English only, not " + voice));
    }
    return Mono.fromCallable(() -> speak(text)).subscribeOn(workers.scheduler());
  }

  private PcmAudio speak(String text) {
    com.sun.speech.freetts.Voice voice = voiceOfThisThread();
    CapturingPlayer player = new CapturingPlayer();
    voice.setAudioPlayer(player);
    if (!voice.speak(text)) {
      throw new SynthesisException("freetts could not speak '" + text + "'");
    }
    return player.audio();
  }

  private com.sun.speech.freetts.Voice voiceOfThisThread() {
    com.sun.speech.freetts.Voice voice = voices.get();
    if (voice == null) {
      synchronized (ALLOCATION_LOCK) {
        if (System.getProperty("freetts.voices") == null) {
          System.setProperty("freetts.voices", VOICE_DIRECTORY);
        }
        voice = VoiceManager.getInstance().getVoice(VOICE);
        if (voice == null) {
          throw new SynthesisException("freetts voice " + VOICE + " is not on the class path");
        }
        voice.allocate();
        voicesAllocated.incrementAndGet();
      }
      voices.set(voice);
    }
    return voice;
  }

  /** How many voices the workers have allocated so far. */
  int voicesAllocated() {
    return voicesAllocated.get();
  }

  @Override
  public void close() {
    workers.close();
  }

  /** Collects what FreeTTS would play. */
  private static final class CapturingPlayer implements AudioPlayer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private AudioFormat format = new AudioFormat(16_000, 16, 1, true, true);
    private float volume = 1f;

    PcmAudio audio() {
      if (format.getSampleSizeInBits() != 16 || format.getChannels() != 1) {
        throw new SynthesisException("freetts produced unsupported audio: " + format);
      }
      byte[] pcm = bytes.toByteArray();
      return PcmAudio.fromBytes(
          pcm, 0, pcm.length - pcm.length % 2, (int) format.getSampleRate(), format.isBigEndian());
    }

    @Override
    public void setAudioFormat(AudioFormat format) {
      this.format = format;
    }

    @Override
    public AudioFormat getAudioFormat() {
      return format;
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void reset() {}

    @Override
    public boolean drain() {
      return true;
    }

    @Override
    public void begin(int size) {}

    @Override
    public boolean end() {
      return true;
    }

    @Override
    public void cancel() {}

    @Override
    public void close() {}

    @Override
    public float getVolume() {
      return volume;
    }

    @Override
    public void setVolume(float volume) {
      this.volume = volume;
    }

    @Override
    public long getTime() {
      return 0;
    }

    @Override
    public void resetTime() {}

    @Override
    public void startFirstSampleTimer() {}

    @Override
    public boolean write(byte[] audio) {
      return write(audio, 0, audio.length);
    }

    @Override
    public boolean write(byte[] audio, int offset, int size) {
      bytes.write(audio, offset, size);
      return true;
    }

    @Override
    public void showMetrics() {}
  }
}
