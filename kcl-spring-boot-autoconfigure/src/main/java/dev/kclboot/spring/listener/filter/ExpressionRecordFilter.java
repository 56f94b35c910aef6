package dev.kclboot.spring.listener.filter;

import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.spring.listener.KinesisRecordFilterStrategy;
import dev.kclboot.spring.listener.KinesisRecordMetadata;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;

/**
 * A filter written as a SpEL expression on a {@link FilterContext}, true for the records to deliver, for example
 * {@code partitionKey != 'test'} or {@code data.contains('"type":"order"')}. Parsed once (a syntax error fails the
 * startup), evaluated per record in a read-only context (properties and methods of the context, no bean
 * references, no types).
 */
public final class ExpressionRecordFilter implements KinesisRecordFilterStrategy {

    private static final SpelExpressionParser parser = new SpelExpressionParser();

    private final String source;

    private final Expression expression;

    private final EvaluationContext context = SimpleEvaluationContext.forReadOnlyDataBinding().withInstanceMethods()
            .build();

    /**
     * @param expression the SpEL expression
     * @throws IllegalArgumentException when it does not parse
     */
    public ExpressionRecordFilter(String expression) {
        this.source = expression;
        try {
            this.expression = parser.parseExpression(expression);
        }
        catch (ParseException ex) {
            throw new IllegalArgumentException("'" + expression + "' is not a SpEL expression: " + ex.getMessage(), ex);
        }
    }

    /**
     * @throws IllegalStateException when the expression does not yield true or false for the record
     */
    @Override
    public boolean accept(KinesisRecord record, KinesisRecordMetadata metadata) {
        Object result = expression.getValue(context, new FilterContext(record, metadata));
        if (result instanceof Boolean accepted) {
            return accepted;
        }
        throw new IllegalStateException("Filter '" + source + "' yielded " + result + ", not true or false");
    }

    @Override
    public String toString() {
        return "ExpressionRecordFilter{" + source + "}";
    }
}
