# A dual-stack VPC with one public subnet, in the shape of the most used VPC module: its
# outputs pass on the VPC's Amazon-provided IPv6 block (not known until apply).

resource "aws_vpc" "this" {
  cidr_block                       = "10.40.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "public" {
  vpc_id                          = aws_vpc.this.id
  cidr_block                      = "10.40.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
  availability_zone               = "us-east-1a"
  map_public_ip_on_launch         = true
}

# Private subnets, counted as the module counts them; their IPv6 blocks leave the module
# through a splat (`aws_subnet.private[*].ipv6_cidr_block`).
resource "aws_subnet" "private" {
  count                           = 2
  vpc_id                          = aws_vpc.this.id
  cidr_block                      = "10.40.${count.index + 10}.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.this.ipv6_cidr_block, 8, count.index + 10)
  assign_ipv6_address_on_creation = true
  availability_zone               = "us-east-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.this.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "bastion" {
  domain = "vpc"
}

resource "aws_eip" "nat" {
  count  = 2
  domain = "vpc"
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "vpc_ipv6_cidr_block" {
  value = try(aws_vpc.this.ipv6_cidr_block, null)
}

output "public_subnet_id" {
  value = aws_subnet.public.id
}

output "public_subnet_ipv6_cidr_block" {
  value = aws_subnet.public.ipv6_cidr_block
}

# Not a block of this VPC: an address the internet uses.
output "bastion_cidr" {
  value = "${aws_eip.bastion.public_ip}/32"
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

# As the most used VPC module writes it: Terraform's references name only
# `aws_subnet.private`, not the attribute.
output "private_subnets_ipv6_cidr_blocks" {
  value = compact(aws_subnet.private[*].ipv6_cidr_block)
}

# Not blocks of this VPC: addresses the internet uses, through a `for` expression whose
# references name only `aws_eip.nat`.
output "nat_cidrs" {
  value = [for e in aws_eip.nat : "${e.public_ip}/32"]
}
