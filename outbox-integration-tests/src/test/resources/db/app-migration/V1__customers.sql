-- An application's own migrations, in its own Flyway history (flyway_schema_history).
CREATE TABLE customers (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL);
