# Applied first: the Region's default VPC and one of its default subnets, adopted, and an
# instance in it that names no security group (AWS gives it the VPC's default group).

resource "aws_default_vpc" "default" {}
resource "aws_default_subnet" "a" {
  availability_zone = "us-east-1a"
}
resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_default_subnet.a.id
}
