# Base: the shared network, applied by another stack (its state is set aside before the
# plan, see base/separate-state). A public subnet with an internet gateway and a NAT
# gateway; a private route table whose default route goes to the NAT gateway; a bastion
# security group.

resource "aws_vpc" "shared" {
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "shared" }
}

resource "aws_internet_gateway" "shared" {
  vpc_id = aws_vpc.shared.id
  tags   = { Name = "shared" }
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.shared.id
  cidr_block              = "10.20.0.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
  tags                    = { Name = "shared-public" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.shared.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.shared.id
  }
  tags = { Name = "shared-public" }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "shared" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
  tags          = { Name = "shared" }
  depends_on    = [aws_internet_gateway.shared]
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.shared.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.shared.id
  }
  tags = { Name = "shared-private" }
}

resource "aws_security_group" "bastion" {
  name   = "bastion"
  vpc_id = aws_vpc.shared.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# The office's addresses, for SSH.
resource "aws_ec2_managed_prefix_list" "office" {
  name           = "office"
  address_family = "IPv4"
  max_entries    = 5
  entry {
    cidr        = "203.0.113.0/24"
    description = "office"
  }
}
