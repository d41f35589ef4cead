package db.bootapptest;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the tests add to the application: the transactional beans, and an OpenTelemetry SDK (Boot's managed
 * version) exporting to memory, which the application hands to Switchboard's tracing.
 */
@TestConfiguration(proxyBeanMethods = false)
final class TestBeans {

    @Bean
    NestedItems nestedItems(JdbcTemplate jdbc) {
        return new NestedItems(jdbc);
    }

    @Bean
    Items items(JdbcTemplate jdbc, NestedItems nested) {
        return new Items(jdbc, nested);
    }

    @Bean
    InMemorySpanExporter spanExporter() {
        return InMemorySpanExporter.create();
    }

    @Bean
    OpenTelemetrySdk openTelemetry(InMemorySpanExporter exporter) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .build();
    }
}
