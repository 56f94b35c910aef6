package dev.kclboot.multilang.config;

/**
 * A Kinesis stream ARN, {@code arn:<partition>:kinesis:<region>:<account>:stream/<name>}.
 * @param arn the ARN as given
 * @param region its region
 * @param streamName the stream's name
 */
record StreamArn(String arn, String region, String streamName) {

    /**
     * @throws InvalidSettingsException when the value is not a stream ARN
     */
    static StreamArn parse(String key, String value) {
        String[] parts = value.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("kinesis") || parts[3].isEmpty()
                || !parts[5].startsWith("stream/") || parts[5].length() <= "stream/".length()) {
            throw new InvalidSettingsException(key + " must be a Kinesis stream ARN "
                    + "(arn:aws:kinesis:<region>:<account>:stream/<name>), was '" + value + "'");
        }
        return new StreamArn(value, parts[3], parts[5].substring("stream/".length()));
    }
}
