# Applied first: a VPC with an internet gateway and a subnet that uses the VPC's main route
# table (no association), which has only its local route, and an instance that names no
# security group (so AWS gives it the VPC's default group); the default NACL and the
# default group are untouched.

resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.60.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.web.id
}
