variable "name" {
  description = "Queue name without the .fifo suffix; the dead-letter queue is named <name>-dlq."
  type        = string
}

variable "fifo" {
  description = "Make both queues FIFO queues (names get the .fifo suffix)."
  type        = bool
  default     = false
}

variable "high_throughput" {
  description = "FIFO only: high-throughput mode (deduplication and throughput limit per message group)."
  type        = bool
  default     = false
}

variable "content_based_deduplication" {
  description = "FIFO only: deduplicate by a SHA-256 of the body when a message has no deduplication id."
  type        = bool
  default     = false
}

variable "visibility_timeout_seconds" {
  type    = number
  default = 30
}

variable "message_retention_seconds" {
  type    = number
  default = 345600
}

variable "receive_wait_time_seconds" {
  description = "Long-poll wait of receives that do not set one."
  type        = number
  default     = 0
}

variable "max_receive_count" {
  description = "Receives after which a message moves to the dead-letter queue."
  type        = number
  default     = 5
}

variable "dlq_message_retention_seconds" {
  description = "Retention on the dead-letter queue: keep failed messages longer than the source keeps them."
  type        = number
  default     = 1209600
}

variable "kms_master_key_id" {
  description = "KMS key (id, ARN or alias) for SSE-KMS; null keeps SQS-managed SSE (SSE-SQS)."
  type        = string
  default     = null
}

variable "kms_data_key_reuse_period_seconds" {
  description = "SSE-KMS only: how long a data key is reused."
  type        = number
  default     = 300
}

variable "tags" {
  type    = map(string)
  default = {}
}
