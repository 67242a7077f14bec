# Endpoints in a public subnet, behind a group open to the world: their network
# interfaces have private IPv4 addresses only.
resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.public[0].id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}

resource "aws_ec2_instance_connect_endpoint" "this" {
  subnet_id          = aws_subnet.public[1].id
  security_group_ids = [aws_security_group.endpoints.id]
}
