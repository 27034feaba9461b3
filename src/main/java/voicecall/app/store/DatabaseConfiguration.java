package voicecall.app.store;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import voicecall.app.config.VoiceCallProperties;

/** Wires the database: blocking drivers kept off the event loops, schema migrated at start. */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

  /**
   * Keeps the embedded H2 driver, which blocks underneath, off the event loops (see {@link
   * OffloadedConnectionFactory}). Non-blocking drivers pass through unchanged.
   *
   * @return the post-processor that decorates the application's connection factory
   */
  @Bean
  static BeanPostProcessor blockingDriverOffloading() {
    return new BlockingDriverOffloading();
  }

  /**
   * The migrator, returned only after it has brought the schema up to date, so every store that
   * depends on it sees the current schema. This runs during start on the main thread (no event loop
   * is involved): the application must not serve anything against an old schema, so the start
   * waits, bounded by {@code voicecall.database.migration-timeout}, and fails with the reason.
   *
   * @param db the database
   * @param txManager transactions on it
   * @param properties our settings
   * @return the migrator, after it has migrated
   */
  @Bean
  public SchemaMigrator schemaMigrator(
      DatabaseClient db, ReactiveTransactionManager txManager, VoiceCallProperties properties) {
    SchemaMigrator migrator = new SchemaMigrator(db, TransactionalOperator.create(txManager));
    migrator.migrate().block(properties.database().migrationTimeout());
    return migrator;
  }

  private static final class BlockingDriverOffloading implements BeanPostProcessor, DisposableBean {

    /** Two threads per core: H2 work is short, and the database serialises most of it anyway. */
    private final Scheduler scheduler =
        Schedulers.newBoundedElastic(
            2 * Runtime.getRuntime().availableProcessors(), 10_000, "db-blocking-driver", 60, true);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
      if (bean instanceof ConnectionFactory factory
          && "H2".equalsIgnoreCase(factory.getMetadata().getName())) {
        return OffloadedConnectionFactory.wrap(factory, scheduler);
      }
      return bean;
    }

    @Override
    public void destroy() {
      scheduler.dispose();
    }
  }
}
