variable "vpc_id" {
  type = string
}

# Both gateway endpoints, associated with no route table here: the root does that.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.us-east-1.dynamodb"
  vpc_endpoint_type = "Gateway"
}

output "s3_id" {
  value = aws_vpc_endpoint.s3.id
}

output "dynamodb_id" {
  value = aws_vpc_endpoint.dynamodb.id
}
