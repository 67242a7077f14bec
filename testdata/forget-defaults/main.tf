# The plan: over the base (base/main.tf, applied first), it removes the default route
# table, the default NACL and the default security group from the configuration. Terraform
# cannot delete them: it only forgets them, and AWS keeps their routes and rules as they
# are. It also stops managing the internet gateway with a `removed` block that keeps it
# (`destroy = false`). Nothing in the network changes.

resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}

removed {
  from = aws_internet_gateway.igw
  lifecycle {
    destroy = false
  }
}

resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.70.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.web.id
}
