package voicecall.app.speech;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.knowledge.KnowledgeActivations;
import voicecall.tts.AudioCache;
import voicecall.tts.OrderedSynthesis;
import voicecall.tts.RemoteSpeechConfig;
import voicecall.tts.Synthesizer;
import voicecall.tts.Synthesizers;

/**
 * Wires speech output from {@code voicecall.tts.*}: the fallback chain FreeTTS → espeak-ng → remote
 * (when configured), each member timed; the byte-capped audio cache and its meters; the ordered
 * synthesis every call uses; and pre-rendering that follows the knowledge activations. Closing the
 * context closes the synthesisers (threads and processes).
 */
@Configuration(proxyBeanMethods = false)
public class SpeechConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SpeechConfiguration.class);

  /**
   * The synthesiser fallback chain. FreeTTS speaks English in process; espeak-ng speaks Korean and
   * English (if installed; checked once here); the remote endpoint is last when a base URL is set.
   *
   * @param properties our settings
   * @param registry where each member's synthesis time is recorded
   * @return the chain; closed with the context
   */
  @Bean(destroyMethod = "close")
  public Synthesizer speechSynthesizer(VoiceCallProperties properties, MeterRegistry registry) {
    VoiceCallProperties.Tts tts = properties.tts();
    List<Synthesizer> chain = new ArrayList<>();
    chain.add(Synthesizers.freeTts(VoiceCallProperties.Tts.orCores(tts.freettsWorkers())));
    chain.add(
        Synthesizers.espeakNg(
            tts.espeakCommand(), VoiceCallProperties.Tts.orCores(tts.espeakProcesses())));
    RemoteSpeechConfig remote = tts.remote().toConfig();
    if (remote != null) {
      chain.add(Synthesizers.remote(remote));
    }
    List<Synthesizer> timed = chain.stream().map(s -> timed(s, registry)).toList();
    Synthesizer speech = Synthesizers.withFallback(tts.timeout(), timed);
    log.info(
        "speech: synthesisers {} (timeout {} each), remote {}",
        speech.name(),
        tts.timeout(),
        remote == null ? "off" : remote);
    return speech;
  }

  private static Synthesizer timed(Synthesizer synthesizer, MeterRegistry registry) {
    return new TimedSynthesizer(synthesizer, registry);
  }

  /**
   * The audio cache shared by every call and by pre-rendering.
   *
   * @param properties our settings
   * @return the cache, capped at {@code voicecall.tts.cache-max-bytes}
   */
  @Bean
  public AudioCache audioCache(VoiceCallProperties properties) {
    return AudioCache.create(properties.tts().cacheMaxBytes().toBytes());
  }

  @Bean
  AudioCacheMetrics audioCacheMetrics(AudioCache cache) {
    return new AudioCacheMetrics(cache);
  }

  /**
   * Ordered parallel synthesis at the call's rate, through the cache.
   *
   * @param speechSynthesizer the fallback chain
   * @param cache the audio cache
   * @param properties our settings
   * @return the synthesis every call uses
   */
  @Bean
  public OrderedSynthesis orderedSynthesis(
      Synthesizer speechSynthesizer, AudioCache cache, VoiceCallProperties properties) {
    VoiceCallProperties.Tts tts = properties.tts();
    return OrderedSynthesis.builder(speechSynthesizer)
        .cache(cache)
        .concurrency(VoiceCallProperties.Tts.orCores(tts.concurrency()))
        .prerenderConcurrency(tts.prerender().concurrency())
        .sampleRate(tts.sampleRate())
        .build();
  }

  /**
   * One thread plans pre-render runs (splitting and normalising every answer); the synthesis itself
   * runs on the synthesisers' workers.
   *
   * @return the scheduler, disposed with the context
   */
  @Bean
  PrerenderScheduler speechPrerenderScheduler() {
    return new PrerenderScheduler(
        Schedulers.newBoundedElastic(1, 16, "speech-prerender", 60, true));
  }

  /**
   * Pre-rendering that follows the knowledge activations, started after the context is ready.
   *
   * @param activations the knowledge versions as they become active
   * @param speechSynthesizer the chain, warmed up before the first run
   * @param synthesis the ordered synthesis holding the cache
   * @param cache the cache, watched for evictions during a run
   * @param properties our settings
   * @param scheduler where runs are planned
   * @param registry where run counts and times go
   * @return the pre-renderer
   */
  @Bean
  public SpeechPrerender speechPrerender(
      KnowledgeActivations activations,
      Synthesizer speechSynthesizer,
      OrderedSynthesis synthesis,
      AudioCache cache,
      VoiceCallProperties properties,
      PrerenderScheduler scheduler,
      MeterRegistry registry) {
    return new SpeechPrerender(
        activations.versions(),
        speechSynthesizer,
        synthesis,
        cache,
        properties.tts().prompts(),
        scheduler.scheduler(),
        registry,
        properties.tts().prerender().enabled());
  }

  /** Owns the pre-render scheduler so it is disposed with the context. */
  record PrerenderScheduler(Scheduler scheduler) implements DisposableBean {
    @Override
    public void destroy() {
      scheduler.dispose();
    }
  }
}
