package voicecall.app.calls;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.scheduler.Schedulers;
import voicecall.app.config.VoiceCallProperties;
import voicecall.app.store.SchemaMigrator;
import voicecall.app.telephony.CallRegistry;

/** Wires call recording: the store, the write buffer and the recorder listening to calls. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "voicecall.calls.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class CallsConfiguration {

  /**
   * The call records in the database, once the schema is current.
   *
   * @param db the database
   * @param txManager its transactions
   * @param migrated the migrator, which has brought the schema up to date
   * @return the store
   */
  @Bean
  CallStore callStore(
      DatabaseClient db, ReactiveTransactionManager txManager, SchemaMigrator migrated) {
    return new CallStore(db, TransactionalOperator.create(txManager));
  }

  /**
   * The recorder of every call, writing through a bounded buffer; closed with the context after
   * writing what waits.
   *
   * @param store the call records
   * @param registry the live calls
   * @param properties our settings
   * @param meters where the buffer's and the outcomes' meters go
   * @return the recorder
   */
  @Bean(destroyMethod = "close")
  public CallRecorder callRecorder(
      CallStore store,
      CallRegistry registry,
      VoiceCallProperties properties,
      MeterRegistry meters) {
    return create(store, registry, properties, meters, Clock.systemUTC());
  }

  static CallRecorder create(
      CallStore store,
      CallRegistry registry,
      VoiceCallProperties properties,
      MeterRegistry meters,
      Clock clock) {
    VoiceCallProperties.Calls c = properties.calls();
    RecordBuffer<CallRecord> buffer =
        new RecordBuffer<>(
            "voicecall.calls.records",
            c.bufferCapacity(),
            c.batchSize(),
            c.flushInterval(),
            c.retryInterval(),
            c.writeTimeout(),
            store::save,
            e -> e instanceof DataIntegrityViolationException,
            Schedulers.parallel(),
            meters);
    return new CallRecorder(buffer, registry, clock, Schedulers.parallel(), meters);
  }
}
