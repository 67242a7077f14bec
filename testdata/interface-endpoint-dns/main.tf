# Two interface endpoints in a VPC with no route out: SSM with private DNS (the service's
# usual name resolves to it) and S3 without (only the endpoint's own vpce-... names reach it).

resource "aws_vpc" "main" {
  cidr_block = "10.71.0.0/16"
}
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.71.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "other" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.71.2.0/24"
  availability_zone = "us-east-1b"
}
resource "aws_security_group" "ep" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.private.id]
  security_group_ids  = [aws_security_group.ep.id]
  private_dns_enabled = false
}
resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.private.id]
  security_group_ids  = [aws_security_group.ep.id]
  private_dns_enabled = true
}
