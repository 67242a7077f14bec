# Change: the NAT gateway moves to the public subnet of us-east-1b, next to the private subnet
# it serves, with a new Elastic IP. subnet_id and allocation_id force replacement, so the plan
# REPLACES aws_nat_gateway.main (delete, then create), CREATES aws_eip.nat_b, DELETES
# aws_eip.nat_a and UPDATES aws_route.private_b_default in place (its nat_gateway_id becomes
# the new gateway's ID, unknown until apply). private_b -> internet (IPv4) stays open; the
# route follows the replacement, so TFVPC102 must NOT fire. TFVPC301 (cross-AZ NAT) fires for
# the prior state only.

resource "aws_vpc" "main" {
  cidr_block = "10.3.0.0/16"
  tags       = { Name = "replace-nat-gateway" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public_a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.3.0.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "public_b" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.3.1.0/24"
  availability_zone       = "us-east-1b"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public_a" {
  subnet_id      = aws_subnet.public_a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "public_b" {
  subnet_id      = aws_subnet.public_b.id
  route_table_id = aws_route_table.public.id
}

# removed: aws_eip.nat_a
resource "aws_eip" "nat_b" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat_b.id       # was: aws_eip.nat_a.id   (forces replacement)
  subnet_id     = aws_subnet.public_b.id # was: aws_subnet.public_a.id (forces replacement)
  depends_on    = [aws_internet_gateway.igw]
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.3.11.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_route_table" "private_b" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "private_b_default" {
  route_table_id         = aws_route_table.private_b.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.main.id
}

resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private_b.id
}
