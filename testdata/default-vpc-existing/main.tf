# The plan: over the base (base/main.tf, applied first), it opens SSH to the world in the
# default VPC's default security group, named through the VPC (a known sg- ID here).

resource "aws_default_vpc" "default" {}
resource "aws_default_subnet" "a" {
  availability_zone = "us-east-1a"
}
resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_default_subnet.a.id
}
resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_default_vpc.default.default_security_group_id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 22
  to_port           = 22
  ip_protocol       = "tcp"
}
